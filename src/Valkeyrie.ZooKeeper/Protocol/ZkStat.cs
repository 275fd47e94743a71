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
    // Extended node types (TTL) mark the owner with 0xFF in the top byte; container nodes use the smallest long.
    private const long ExtendedMask = unchecked((long)0xFF00_0000_0000_0000UL);

    public ZkNodeKind Kind => EphemeralOwner switch
    {
        0 => ZkNodeKind.Persistent,
        long.MinValue => ZkNodeKind.Container,
        _ when (EphemeralOwner & ExtendedMask) == ExtendedMask => ZkNodeKind.Ttl,
        _ => ZkNodeKind.Ephemeral,
    };

    /// <summary>For a TTL node, its TTL in milliseconds (the low 40 bits of the owner field).</summary>
    public long TtlMilliseconds => Kind == ZkNodeKind.Ttl ? EphemeralOwner & 0xFF_FFFF_FFFFL : 0;
}

/// <summary>What kind of node a <see cref="ZkStat"/> describes.</summary>
internal enum ZkNodeKind
{
    Persistent,
    Ephemeral,
    Ttl,
    Container,
}
