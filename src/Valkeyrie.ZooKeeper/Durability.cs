using Valkeyrie.ZooKeeper.Protocol;

namespace Valkeyrie.ZooKeeper;

/// <summary>
/// How long a key lives, as a ZooKeeper node kind: persistent; a TTL node (deleted by the server once unmodified
/// for the TTL); or an ephemeral node of the store's session (keep-alive: it lives as long as the session).
/// </summary>
internal readonly record struct Durability(ZkNodeKind Kind, long TtlMilliseconds)
{
    public static Durability Persistent => new(ZkNodeKind.Persistent, 0);

    public static Durability Ephemeral => new(ZkNodeKind.Ephemeral, 0);

    public bool IsPersistent => Kind == ZkNodeKind.Persistent;

    public static Durability For(KvWriteOptions options) => options switch
    {
        { KeepAlive: true } => Ephemeral,
        // ZooKeeper's TTLs are milliseconds: sub-millisecond remainders round up, never to zero.
        { Ttl: { } ttl } => new(ZkNodeKind.Ttl, Math.Max(1, (long)Math.Ceiling(ttl.TotalMilliseconds))),
        _ => Persistent,
    };

    public bool Matches(NodeState node, long sessionId) => Kind switch
    {
        ZkNodeKind.Ttl => node.Kind == ZkNodeKind.Ttl && node.TtlMilliseconds == TtlMilliseconds,
        ZkNodeKind.Ephemeral => node.Kind == ZkNodeKind.Ephemeral && node.EphemeralOwner == sessionId,
        _ => node.Kind == ZkNodeKind.Persistent,
    };

    public ZkOp Create(string path, byte[] data, IReadOnlyList<ZkAcl> acl) => Kind switch
    {
        ZkNodeKind.Ttl => new ZkOp.Create(path, data, acl, ZkCreateMode.PersistentWithTtl, TtlMilliseconds),
        ZkNodeKind.Ephemeral => new ZkOp.Create(path, data, acl, ZkCreateMode.Ephemeral),
        _ => new ZkOp.Create(path, data, acl, ZkCreateMode.Persistent),
    };
}
