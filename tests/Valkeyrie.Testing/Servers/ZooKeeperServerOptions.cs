namespace Valkeyrie.Testing.Servers;

/// <summary>Settings for <see cref="ZooKeeperServer"/>.</summary>
public sealed class ZooKeeperServerOptions : ServerOptions
{
    /// <summary>
    /// ZooKeeper's tick; session timeouts are negotiated between 2 and 20 ticks. One second (ZooKeeper's
    /// default is two) lets tests use sessions as short as two seconds.
    /// </summary>
    public TimeSpan TickTime { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often the server deletes expired TTL nodes and empty container nodes (ZooKeeper's default is
    /// a minute, far too slow for a test waiting for a TTL to lapse).
    /// </summary>
    public TimeSpan ContainerCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The member's id (its <c>myid</c>) when this server is one member of an ensemble whose <c>server.N=…</c> lines are in
    /// <see cref="ExtraConfig"/>; null for a standalone server. A member is ready once it leads or follows.
    /// </summary>
    public int? ServerId { get; set; }

    /// <summary>Extra zoo.cfg lines, e.g. <c>maxSessionTimeout=60000</c>.</summary>
    public IList<string> ExtraConfig { get; } = [];
}
