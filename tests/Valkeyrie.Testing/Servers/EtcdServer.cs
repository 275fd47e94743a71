using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Valkeyrie.Testing.Servers;

/// <summary>
/// A single-member etcd 3.4 cluster (Debian package <c>etcd-server</c>) with free client and peer
/// ports, plus helpers that run <c>etcdctl</c> (package <c>etcd-client</c>) against it.
/// </summary>
public sealed class EtcdServer : ServerProcess
{
    private static readonly TimeSpan s_etcdctlTimeout = TimeSpan.FromSeconds(30);

    private readonly string _executable = ToolLocator.Find(
        "etcd", "run ./test.sh, which installs it, or `apt-get install etcd-server`");

    private readonly EtcdServerOptions _options;

    /// <summary>Prepares a server on new free ports; call <see cref="ServerProcess.StartAsync"/> to run it.</summary>
    /// <exception cref="FileNotFoundException">etcd is not installed.</exception>
    public EtcdServer(EtcdServerOptions? options = null)
        : base("etcd", options ??= new EtcdServerOptions())
    {
        _options = options;
        Port = FreePort.Next();
        PeerPort = FreePort.Next();
    }

    /// <summary>The client port.</summary>
    public override int Port { get; }

    /// <summary>The peer (raft) port.</summary>
    public int PeerPort { get; }

    /// <summary>The peer URL, <c>http://127.0.0.1:PEERPORT</c>, as other members of a cluster reach this one.</summary>
    public string PeerUrl => string.Create(CultureInfo.InvariantCulture, $"http://{Host}:{PeerPort}");

    /// <summary>The member's name in the cluster (<see cref="EtcdServerOptions.MemberName"/>).</summary>
    public string MemberName => _options.MemberName;

    /// <summary>The client URL, <c>http://127.0.0.1:PORT</c>.</summary>
    public Uri ClientUrl => new(string.Create(CultureInfo.InvariantCulture, $"http://{Host}:{Port}"));

    /// <summary><c>etcd://127.0.0.1:PORT</c>; when authentication is on, the user is <c>root</c> with <see cref="RootPassword"/>.</summary>
    public override string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"etcd://{Host}:{Port}");

    /// <summary>The root user's password once <see cref="EnableAuthAsync"/> ran; null while authentication is off.</summary>
    public string? RootPassword { get; private set; }

    /// <inheritdoc />
    protected override IReadOnlyList<int> ListeningPorts => [Port, PeerPort];

    /// <summary>Creates and starts a server (enabling authentication when the options ask), disposing it when that fails.</summary>
    public static async Task<EtcdServer> StartNewAsync(EtcdServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var server = new EtcdServer(options);
        try
        {
            await server.StartAsync(cancellationToken);
            if (server._options.RootPassword is { } password)
            {
                await server.EnableAuthAsync(password, cancellationToken);
            }

            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs <c>etcdctl</c> (API v3) against this server, as root once authentication is on, and returns
    /// its standard output.
    /// </summary>
    /// <exception cref="InvalidOperationException">etcdctl failed; the message holds its error output.</exception>
    public async Task<string> RunEtcdctlAsync(IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var argumentList = arguments.ToList();
        var executable = ToolLocator.Find("etcdctl", "run ./test.sh, which installs it, or `apt-get install etcd-client`");
        var startInfo = new ProcessStartInfo(executable);
        startInfo.Environment["ETCDCTL_API"] = "3";
        startInfo.ArgumentList.Add($"--endpoints={ClientUrl}");
        startInfo.ArgumentList.Add("--command-timeout=20s");
        if (RootPassword is { } password)
        {
            startInfo.ArgumentList.Add($"--user=root:{password}");
        }

        foreach (var argument in argumentList)
        {
            startInfo.ArgumentList.Add(argument);
        }

        return await ToolProcess.RunAsync(
            startInfo, $"etcdctl {string.Join(' ', argumentList)} against {ClientUrl}", s_etcdctlTimeout, cancellationToken);
    }

    /// <inheritdoc cref="RunEtcdctlAsync(IEnumerable{string}, CancellationToken)"/>
    public Task<string> RunEtcdctlAsync(params string[] arguments) => RunEtcdctlAsync(arguments, CancellationToken.None);

    /// <summary>
    /// Creates the <c>root</c> user with <paramref name="rootPassword"/> and turns authentication on;
    /// it stays on across restarts (it is stored in the data).
    /// </summary>
    public async Task EnableAuthAsync(string rootPassword, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootPassword);
        await RunEtcdctlAsync(["user", "add", $"root:{rootPassword}", "--interactive=false"], cancellationToken);
        await RunEtcdctlAsync(["auth", "enable"], cancellationToken);
        RootPassword = rootPassword;
    }

    /// <summary>The store's current revision (the header revision of <c>etcdctl endpoint status</c>).</summary>
    public async Task<long> GetRevisionAsync(CancellationToken cancellationToken = default)
    {
        var json = await RunEtcdctlAsync(["endpoint", "status", "--write-out=json"], cancellationToken);
        using var document = JsonDocument.Parse(json);
        return document.RootElement[0].GetProperty("Status").GetProperty("header").GetProperty("revision").GetInt64();
    }

    /// <summary>
    /// Compacts history up to <paramref name="revision"/> (default: the current revision) and waits
    /// until it is physically gone, so a watch from an older revision gets "compacted". Returns the revision.
    /// </summary>
    public async Task<long> CompactAsync(long? revision = null, CancellationToken cancellationToken = default)
    {
        var target = revision ?? await GetRevisionAsync(cancellationToken);
        await RunEtcdctlAsync(["compaction", "--physical=true", target.ToString(CultureInfo.InvariantCulture)], cancellationToken);
        return target;
    }

    /// <inheritdoc />
    protected override ProcessStartInfo CreateStartInfo()
    {
        var client = ClientUrl.ToString().TrimEnd('/');
        var peer = PeerUrl;
        var startInfo = new ProcessStartInfo(_executable);
        string[] arguments =
        [
            $"--name={MemberName}",
            $"--data-dir={Path.Combine(DataDirectory, "data")}",
            $"--listen-client-urls={client}",
            $"--advertise-client-urls={client}",
            $"--listen-peer-urls={peer}",
            $"--initial-advertise-peer-urls={peer}",
            $"--initial-cluster={_options.InitialCluster ?? $"{MemberName}={peer}"}",
            "--initial-cluster-state=new",
            "--logger=zap",
            "--log-outputs=stderr",
        ];
        foreach (var argument in arguments.Concat(_options.ExtraArguments))
        {
            startInfo.ArgumentList.Add(argument);
        }

        return startInfo;
    }

    /// <inheritdoc />
    protected override async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        // /health is true only once the member has a leader and serves reads.
        using var response = await LoopbackHttp.Client.GetAsync(new Uri(ClientUrl, "/health"), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode && body.Contains("\"health\":\"true\"", StringComparison.Ordinal);
    }
}
