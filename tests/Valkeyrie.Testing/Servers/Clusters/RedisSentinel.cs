using System.Diagnostics;
using System.Globalization;

namespace Valkeyrie.Testing.Servers.Clusters;

/// <summary>
/// One Redis Sentinel (<c>redis-server sentinel.conf --sentinel</c>) watching a primary on a free loopback port. Its
/// configuration file is written once: Sentinel rewrites it with what it learns (replicas, other Sentinels, the current
/// primary and epoch), so a restarted Sentinel carries on where it stopped.
/// </summary>
public sealed class RedisSentinel : ServerProcess
{
    private readonly string _executable = ToolLocator.Find(
        "redis-server", "run ./test.sh, which installs it, or `apt-get install redis-server`");

    private readonly string _serviceName;
    private readonly int _primaryPort;
    private readonly int _quorum;

    /// <summary>Prepares a Sentinel on a new free port; call <see cref="ServerProcess.StartAsync"/> to run it.</summary>
    /// <param name="serviceName">The name the primary is monitored under, e.g. <c>mymaster</c>.</param>
    /// <param name="primaryPort">The initial primary's port on 127.0.0.1.</param>
    /// <param name="quorum">How many Sentinels must agree that the primary is down.</param>
    /// <param name="options">Timeouts.</param>
    /// <exception cref="FileNotFoundException">redis-server is not installed.</exception>
    public RedisSentinel(string serviceName, int primaryPort, int quorum, ServerOptions? options = null)
        : base("redis-sentinel", options ?? new ServerOptions())
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        _serviceName = serviceName;
        _primaryPort = primaryPort;
        _quorum = quorum;
        Port = FreePort.Next();
    }

    /// <inheritdoc />
    public override int Port { get; }

    /// <summary>The Sentinel's address, <c>127.0.0.1:PORT</c> (not a store connection string on its own).</summary>
    public override string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");

    /// <inheritdoc />
    protected override IReadOnlyList<int> ListeningPorts => [Port];

    /// <summary>Runs one command against the Sentinel, e.g. <c>SENTINEL get-master-addr-by-name mymaster</c>.</summary>
    public Task<string?> ExecuteAsync(IReadOnlyList<string> command, CancellationToken cancellationToken = default) =>
        RespClient.ExecuteAsync(Host, Port, [command], cancellationToken);

    /// <summary>The port of the primary this Sentinel currently announces, or null when it names none.</summary>
    public async Task<int?> GetPrimaryPortAsync(CancellationToken cancellationToken = default)
    {
        var reply = await ExecuteAsync(["SENTINEL", "get-master-addr-by-name", _serviceName], cancellationToken);
        var parts = reply?.Split('\n');
        return parts is [_, var port] ? int.Parse(port, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>A numeric field of <c>SENTINEL master NAME</c>, e.g. <c>num-other-sentinels</c> or <c>num-slaves</c>.</summary>
    public async Task<int> GetPrimaryFieldAsync(string field, CancellationToken cancellationToken = default)
    {
        var fields = (await ExecuteAsync(["SENTINEL", "master", _serviceName], cancellationToken))?.Split('\n') ?? [];
        var at = Array.IndexOf(fields, field);
        return at >= 0 && at + 1 < fields.Length ? int.Parse(fields[at + 1], CultureInfo.InvariantCulture) : 0;
    }

    /// <inheritdoc />
    protected override ProcessStartInfo CreateStartInfo()
    {
        var configFile = Path.Combine(DataDirectory, "sentinel.conf");
        if (!File.Exists(configFile))
        {
            // Failure detection after 1 s of silence; the failover itself then takes a second or two.
            var config = RedisServer.BaseConfig(Host, Port, DataDirectory)
                .AppendLine(CultureInfo.InvariantCulture, $"sentinel monitor {_serviceName} {Host} {_primaryPort} {_quorum}")
                .AppendLine(CultureInfo.InvariantCulture, $"sentinel down-after-milliseconds {_serviceName} 1000")
                .AppendLine(CultureInfo.InvariantCulture, $"sentinel failover-timeout {_serviceName} 10000")
                .AppendLine(CultureInfo.InvariantCulture, $"sentinel parallel-syncs {_serviceName} 1");
            File.WriteAllText(configFile, config.ToString());
        }

        var startInfo = new ProcessStartInfo(_executable);
        startInfo.ArgumentList.Add(configFile);
        startInfo.ArgumentList.Add("--sentinel");
        return startInfo;
    }

    /// <inheritdoc />
    protected override async Task<bool> IsReadyAsync(CancellationToken cancellationToken) =>
        await ExecuteAsync(["PING"], cancellationToken) == "PONG";
}
