using System.Diagnostics;
using System.Globalization;

namespace Valkeyrie.Testing.Servers;

/// <summary>
/// moto's server mode (Python package <c>moto</c> with its <c>server</c> extras), which speaks the DynamoDB API including
/// <c>TransactWriteItems</c>, on a free loopback port. moto keeps everything in memory: a stop or restart loses every table
/// and item, so outage tests on it use <see cref="ServerProcess.Freeze"/> and <see cref="ServerProcess.Resume"/>, which keep them.
/// </summary>
/// <remarks>
/// It serves moto's application on one thread instead of running <c>moto_server</c>, whose server handles requests on
/// concurrent threads without a lock: there a conditional write is not atomic against a concurrent one (two writers can
/// both pass <c>attribute_not_exists</c>), and a transaction's rollback copy of the table fails with HTTP 500 while another
/// thread writes. One request at a time gives the per-item atomicity DynamoDB guarantees.
/// </remarks>
public sealed class MotoServer : ServerProcess
{
    /// <summary>The region the connection string names; moto keeps tables per region.</summary>
    public const string Region = "us-east-1";

    private const string InstallHint = "install moto with its server extras: `pip install 'moto[server]'` (./test.sh cannot install it offline)";

    // argv: host, port. A missing moto ends the process at once with the install hint, which the start failure shows.
    private const string Script = """
        import sys
        try:
            from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
            from werkzeug.serving import run_simple
        except ImportError as error:
            sys.exit(f"moto is not installed for {sys.executable} ({error}): pip install 'moto[server]'")
        run_simple(sys.argv[1], int(sys.argv[2]), DomainDispatcherApplication(create_backend_app), threaded=False)
        """;

    private readonly string _python = ToolLocator.Find("python3", InstallHint);
    /// <summary>Prepares a server on a new free port; call <see cref="ServerProcess.StartAsync"/> to run it.</summary>
    /// <exception cref="FileNotFoundException">python3 is not on PATH; the message says how to install moto.</exception>
    public MotoServer(MotoServerOptions? options = null)
        : base("moto", options ?? new MotoServerOptions())
    {
        Port = FreePort.Next();
    }

    /// <inheritdoc />
    public override int Port { get; }

    /// <summary>The endpoint an AWS SDK's <c>ServiceURL</c> takes, <c>http://127.0.0.1:PORT</c>.</summary>
    public Uri ServiceUrl => new(string.Create(CultureInfo.InvariantCulture, $"http://{Host}:{Port}"));

    /// <summary><c>dynamodb://?serviceUrl=http://127.0.0.1:PORT&amp;region=us-east-1</c>.</summary>
    public override string ConnectionString =>
        string.Create(CultureInfo.InvariantCulture, $"dynamodb://?serviceUrl=http://{Host}:{Port}&region={Region}");

    /// <inheritdoc />
    protected override IReadOnlyList<int> ListeningPorts => [Port];

    /// <summary>Creates and starts a server, disposing it when the start fails.</summary>
    public static Task<MotoServer> StartNewAsync(MotoServerOptions? options = null, CancellationToken cancellationToken = default) =>
        StartedAsync(new MotoServer(options), cancellationToken);

    /// <summary>
    /// Calls a DynamoDB operation (e.g. <c>ListTables</c>, <c>TransactWriteItems</c>) with a JSON body, the way the AWS SDK
    /// does, with a placeholder signature. The caller disposes the response.
    /// </summary>
    public Task<HttpResponseMessage> SendAsync(string operation, string jsonBody, CancellationToken cancellationToken = default) =>
        DynamoDbHttp.SendAsync(ServiceUrl, operation, jsonBody, cancellationToken);

    /// <inheritdoc />
    protected override ProcessStartInfo CreateStartInfo()
    {
        var startInfo = new ProcessStartInfo(_python);
        var port = Port.ToString(CultureInfo.InvariantCulture);
        foreach (var argument in new[] { "-c", Script, Host, port })
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Python buffers a piped stdout; unbuffered output keeps the launcher's tail useful when a start fails. moto
        // builds some URLs from MOTO_PORT, as its own moto_server sets it.
        startInfo.Environment["PYTHONUNBUFFERED"] = "1";
        startInfo.Environment["MOTO_PORT"] = port;
        return startInfo;
    }

    /// <inheritdoc />
    protected override async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync("ListTables", "{}", cancellationToken);
        return response.IsSuccessStatusCode;
    }
}
