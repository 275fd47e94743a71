namespace Valkeyrie.ZooKeeper.Protocol;

/// <summary>ZooKeeper's <c>Stat</c> record: the metadata every read and write returns for a node.</summary>
internal sealed record ZkStat(
    long Czxid,
    long Mzxid,
    long Ctime,
    long Mtime,
    int Version,
    int Cversion,
    int Aversion,
    long EphemeralOwner,
    int DataLength,
    int NumChildren,
    long Pzxid)
{
    /// <summary>
    /// Persistent or ephemeral. The server reports TTL and container nodes with owner 0, like persistent ones, so
    /// the store records TTLs itself (see ZooKeeperValueCodec).
    /// </summary>
    public ZkNodeKind Kind => EphemeralOwner == 0 ? ZkNodeKind.Persistent : ZkNodeKind.Ephemeral;
}

/// <summary>What kind of node a <see cref="ZkStat"/> describes.</summary>
internal enum ZkNodeKind
{
    Persistent,
    Ephemeral,
    Ttl,
}
