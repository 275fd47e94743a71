using System.Diagnostics;
using System.Globalization;

namespace Valkeyrie.Testing.Servers;

/// <summary>
/// moto's server mode (Python package <c>moto</c> with its <c>server</c> extras), which speaks the DynamoDB API including
/// <c>TransactWriteItems</c>, on a free loopback port. moto keeps everything in memory: a stop or restart loses every table
/// and item, so outage tests on it use <see cref="ServerProcess.Freeze"/> and <see cref="ServerProcess.Resume"/>, which keep them.
/// </summary>
public sealed class MotoServer : ServerProcess
{
    /// <summary>The region the connection string names; moto keeps tables per region.</summary>
    public const string Region = "us-east-1";

    private const string InstallHint =
        "install moto with its server extras (`pip install 'moto[server]'`, which puts moto_server on PATH); ./test.sh cannot install it offline";

    private readonly string _executable = ToolLocator.Find("moto_server", InstallHint);
    private readonly MotoServerOptions _options;

    /// <summary>Prepares a server on a new free port; call <see cref="ServerProcess.StartAsync"/> to run it.</summary>
    /// <exception cref="FileNotFoundException">moto_server is not on PATH; the message says how to install it.</exception>
    public MotoServer(MotoServerOptions? options = null)
        : base("moto", options ??= new MotoServerOptions())
    {
        _options = options;
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
    public static async Task<MotoServer> StartNewAsync(MotoServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var server = new MotoServer(options);
        try
        {
            await server.StartAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Calls a DynamoDB operation (e.g. <c>ListTables</c>, <c>TransactWriteItems</c>) with a JSON body, the way the AWS SDK
    /// does, with a placeholder signature. The caller disposes the response.
    /// </summary>
    public Task<HttpResponseMessage> SendAsync(string operation, string jsonBody, CancellationToken cancellationToken = default) =>
        DynamoDbHttp.SendAsync(ServiceUrl, operation, jsonBody, cancellationToken);

    /// <inheritdoc />
    protected override ProcessStartInfo CreateStartInfo()
    {
        var startInfo = new ProcessStartInfo(_executable);
        foreach (var argument in new[] { "-H", Host, "-p", Port.ToString(CultureInfo.InvariantCulture) }.Concat(_options.ExtraArguments))
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Python buffers a piped stdout; unbuffered output keeps the launcher's tail useful when a start fails.
        startInfo.Environment["PYTHONUNBUFFERED"] = "1";
        return startInfo;
    }

    /// <inheritdoc />
    protected override async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync("ListTables", "{}", cancellationToken);
        return response.IsSuccessStatusCode;
    }
}
