using System.Globalization;

namespace Valkeyrie.Testing.Servers.Clusters;

/// <summary>
/// A 3-node ZooKeeper ensemble on loopback (each node a <see cref="ZooKeeperServer"/> with its own client, quorum and
/// election ports), with a half-second tick so a lost leader is noticed within a couple of seconds, and small JVMs.
/// </summary>
public sealed class ZooKeeperEnsemble : ServerCluster<ZooKeeperServer>
{
    private ZooKeeperEnsemble(IReadOnlyList<ZooKeeperServer> members)
        : base("ZooKeeper, 3-node ensemble", members)
    {
    }

    /// <summary><c>zookeeper://127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3</c>.</summary>
    public override string ConnectionString => MemberEndpoints("zookeeper");

    /// <summary>Creates and starts an ensemble of <paramref name="size"/> nodes, disposing it when the start fails.</summary>
    /// <exception cref="FileNotFoundException">Java or ZooKeeper is not installed.</exception>
    public static Task<ZooKeeperEnsemble> StartNewAsync(int size = 3, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var servers = Enumerable.Range(1, size)
            .Select(id => string.Create(CultureInfo.InvariantCulture, $"server.{id}=127.0.0.1:{FreePort.Next()}:{FreePort.Next()}"))
            .ToList();
        var members = new List<ZooKeeperServer>(size);
        for (var id = 1; id <= size; id++)
        {
            var options = new ZooKeeperServerOptions { ServerId = id, TickTime = TimeSpan.FromMilliseconds(500) };
            foreach (var line in new[] { "initLimit=20", "syncLimit=4", "minSessionTimeout=1000", "maxSessionTimeout=60000" }.Concat(servers))
            {
                options.ExtraConfig.Add(line);
            }

            members.Add(new ZooKeeperServer(options));
        }

        return StartedAsync(new ZooKeeperEnsemble(members), cancellationToken);
    }

    /// <inheritdoc />
    protected override Task<bool> IsLeaderAsync(int member, CancellationToken cancellationToken) => Members[member].IsLeaderAsync(cancellationToken);
}
