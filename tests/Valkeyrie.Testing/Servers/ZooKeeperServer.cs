using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Valkeyrie.Testing.Servers;

/// <summary>
/// A standalone ZooKeeper 3.8 (Debian package <c>zookeeper</c>) on a free loopback port, launched
/// straight with <c>java</c> so it gets the system properties tests need: extended types (TTL nodes)
/// enabled and a fast container/TTL reaper. Four-letter words are all allowed; the admin server is off.
/// </summary>
public sealed class ZooKeeperServer : ServerProcess
{
    private const string InstallHint = "run ./test.sh, which installs it, or `apt-get install zookeeper` (it pulls in a Java runtime)";
    private const string ZooKeeperJar = "/usr/share/java/zookeeper.jar";

    // Optional: without an SLF4J binding ZooKeeper logs nothing, and a failed start would show no reason.
    private const string LoggingJar = "/usr/share/java/slf4j-simple.jar";

    private readonly string _java = ToolLocator.Find("java", InstallHint);
    private readonly string _jar = File.Exists(ZooKeeperJar)
        ? ZooKeeperJar
        : throw new FileNotFoundException($"{ZooKeeperJar} not found: {InstallHint}.", ZooKeeperJar);

    private readonly ZooKeeperServerOptions _options;

    /// <summary>Prepares a server on a new free port; call <see cref="ServerProcess.StartAsync"/> to run it.</summary>
    /// <exception cref="FileNotFoundException">Java or the ZooKeeper jar is not installed.</exception>
    public ZooKeeperServer(ZooKeeperServerOptions? options = null)
        : base("zookeeper", options ??= new ZooKeeperServerOptions())
    {
        _options = options;
        Port = FreePort.Next();
    }

    /// <inheritdoc />
    public override int Port { get; }

    /// <summary><c>zookeeper://127.0.0.1:PORT</c>.</summary>
    public override string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"zookeeper://{Host}:{Port}");

    /// <inheritdoc />
    protected override IReadOnlyList<int> ListeningPorts => [Port];

    /// <summary>Creates and starts a server, disposing it when the start fails.</summary>
    public static Task<ZooKeeperServer> StartNewAsync(ZooKeeperServerOptions? options = null, CancellationToken cancellationToken = default) =>
        StartedAsync(new ZooKeeperServer(options), cancellationToken);

    /// <summary>True when this member leads its ensemble right now (<c>srvr</c> reports <c>Mode: leader</c>).</summary>
    public async Task<bool> IsLeaderAsync(CancellationToken cancellationToken = default) =>
        (await SendFourLetterWordAsync("srvr", cancellationToken)).Contains("Mode: leader", StringComparison.Ordinal);

    /// <summary>Sends a four-letter word (<c>ruok</c>, <c>srvr</c>, <c>cons</c>, <c>dump</c>, …) and returns the reply.</summary>
    public async Task<string> SendFourLetterWordAsync(string word, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(word);
        using var client = new TcpClient();
        await client.ConnectAsync(Host, Port, cancellationToken);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(word), cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken); // the server closes the connection after replying
    }

    /// <inheritdoc />
    protected override ProcessStartInfo CreateStartInfo()
    {
        var config = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"tickTime={(long)_options.TickTime.TotalMilliseconds}")
            .AppendLine(CultureInfo.InvariantCulture, $"dataDir={Path.Combine(DataDirectory, "data")}")
            .AppendLine(CultureInfo.InvariantCulture, $"clientPort={Port}")
            .AppendLine(CultureInfo.InvariantCulture, $"clientPortAddress={Host}")
            .AppendLine("maxClientCnxns=0")
            .AppendLine("4lw.commands.whitelist=*")
            .AppendLine("admin.enableServer=false");
        foreach (var line in _options.ExtraConfig)
        {
            config.AppendLine(line);
        }

        if (_options.ServerId is { } serverId)
        {
            // An ensemble member finds its own server.N line through the myid file in its data directory.
            Directory.CreateDirectory(Path.Combine(DataDirectory, "data"));
            File.WriteAllText(Path.Combine(DataDirectory, "data", "myid"), serverId.ToString(CultureInfo.InvariantCulture));
        }

        var configFile = Path.Combine(DataDirectory, "zoo.cfg");
        File.WriteAllText(configFile, config.ToString());

        var classPath = File.Exists(LoggingJar) ? $"{_jar}{Path.PathSeparator}{LoggingJar}" : _jar;
        var startInfo = new ProcessStartInfo(_java);
        string[] arguments =
        [
            // A small, quick-starting JVM: the machines running tests are shared and have few cores.
            "-Xms32m",
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-XX:-UsePerfData",
            "-Djava.awt.headless=true",
            "-Dzookeeper.extendedTypesEnabled=true",
            string.Create(CultureInfo.InvariantCulture, $"-Dznode.container.checkIntervalMs={(long)_options.ContainerCheckInterval.TotalMilliseconds}"),
            // Writes still reach the OS before they are acknowledged, so they survive a killed server.
            "-Dzookeeper.forceSync=no",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
            "-cp",
            classPath,
            "org.apache.zookeeper.server.quorum.QuorumPeerMain",
            configFile,
        ];
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        return startInfo;
    }

    /// <inheritdoc />
    protected override async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        // `ruok` answers imok before the server serves sessions; `srvr` reports the mode only once it does.
        var status = await SendFourLetterWordAsync("srvr", cancellationToken);
        return _options.ServerId is null
            ? status.Contains("Mode: standalone", StringComparison.Ordinal)
            : status.Contains("Mode: leader", StringComparison.Ordinal) || status.Contains("Mode: follower", StringComparison.Ordinal);
    }
}
