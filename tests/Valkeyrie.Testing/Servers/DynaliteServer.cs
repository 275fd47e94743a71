using System.Diagnostics;
using System.Globalization;

namespace Valkeyrie.Testing.Servers;

/// <summary>
/// dynalite, a DynamoDB-compatible server on LevelDB (npm package <c>dynalite</c>, installed by
/// <c>./test.sh</c> under <c>.tools/dynalite</c>), on a free loopback port with its database in the
/// data directory so tables and items survive a restart.
/// </summary>
public sealed class DynaliteServer : ServerProcess
{
    /// <summary>The region the connection string names; dynalite accepts any.</summary>
    public const string Region = "us-east-1";

    private const string InstallHint = "run ./test.sh, which installs it with `npm install --prefix .tools/dynalite dynalite`";

    private readonly string _node = ToolLocator.Find("node", "install Node.js (`apt-get install nodejs`)");
    private readonly string _script = ToolLocator.FindInTools("dynalite/node_modules/dynalite/cli.js", InstallHint);

    private readonly DynaliteServerOptions _options;

    /// <summary>Prepares a server on a new free port; call <see cref="ServerProcess.StartAsync"/> to run it.</summary>
    /// <exception cref="FileNotFoundException">node or dynalite is not installed.</exception>
    public DynaliteServer(DynaliteServerOptions? options = null)
        : base("dynalite", options ??= new DynaliteServerOptions())
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
    public static Task<DynaliteServer> StartNewAsync(DynaliteServerOptions? options = null, CancellationToken cancellationToken = default) =>
        StartedAsync(new DynaliteServer(options), cancellationToken);

    /// <summary>
    /// Calls a DynamoDB operation (e.g. <c>ListTables</c>, <c>PutItem</c>) with a JSON body, the way the
    /// AWS SDK does, with a placeholder signature. The caller disposes the response.
    /// </summary>
    public Task<HttpResponseMessage> SendAsync(string operation, string jsonBody, CancellationToken cancellationToken = default) =>
        DynamoDbHttp.SendAsync(ServiceUrl, operation, jsonBody, cancellationToken);

    /// <inheritdoc />
    protected override ProcessStartInfo CreateStartInfo()
    {
        var startInfo = new ProcessStartInfo(_node);
        var arguments = new List<string>
        {
            _script,
            "--host", Host,
            "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--path", Path.Combine(DataDirectory, "data"),
        };
        if (_options.TableStatusDelay is { } delay)
        {
            var milliseconds = ((long)delay.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
            arguments.AddRange(["--createTableMs", milliseconds, "--updateTableMs", milliseconds, "--deleteTableMs", milliseconds]);
        }

        foreach (var argument in arguments.Concat(_options.ExtraArguments))
        {
            startInfo.ArgumentList.Add(argument);
        }

        return startInfo;
    }

    /// <inheritdoc />
    protected override async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync("ListTables", "{}", cancellationToken);
        return response.IsSuccessStatusCode;
    }
}
