using Valkeyrie.ZooKeeper.Protocol;

namespace Valkeyrie.ZooKeeper;

/// <summary>
/// What the store knows about one node while planning a write: read from the server, then updated as planned
/// operations would change it (so a transaction touching a key twice plans the second step on the first's result).
/// </summary>
internal sealed class NodeState
{
    public bool Exists { get; private set; }

    public bool IsKey { get; set; }

    public int Version { get; private set; }

    public long Mzxid { get; private set; }

    public int NumChildren { get; private set; }

    public ZkNodeKind Kind { get; private set; }

    public long EphemeralOwner { get; private set; }

    public long TtlMilliseconds { get; private set; }

    public static NodeState From((byte[] Data, ZkStat Stat)? read)
    {
        if (read is not { } node)
        {
            return new NodeState();
        }

        // The server shows TTL nodes as persistent; the key's data says which ones are.
        var ttl = ZooKeeperValueCodec.TtlMilliseconds(node.Data);
        return new NodeState
        {
            Exists = true,
            IsKey = ZooKeeperValueCodec.IsKey(node.Data),
            Version = node.Stat.Version,
            Mzxid = node.Stat.Mzxid,
            NumChildren = node.Stat.NumChildren,
            Kind = ttl > 0 && node.Stat.Kind == ZkNodeKind.Persistent ? ZkNodeKind.Ttl : node.Stat.Kind,
            EphemeralOwner = node.Stat.EphemeralOwner,
            TtlMilliseconds = ttl,
        };
    }

    public void Created(Durability durability)
    {
        Exists = true;
        Version = 0;
        NumChildren = 0;
        Kind = durability.Kind;
        TtlMilliseconds = durability.TtlMilliseconds;
    }

    public void Updated() => Version++;

    public void Deleted()
    {
        Exists = false;
        IsKey = false;
        Version = 0;
    }
}
