namespace Valkeyrie.ZooKeeper.Protocol;

/// <summary>Request types of ZooKeeper's client protocol (ZooDefs.OpCode).</summary>
internal enum ZkOpCode
{
    Create = 1,
    Delete = 2,
    Exists = 3,
    GetData = 4,
    SetData = 5,
    Sync = 9,
    Ping = 11,
    GetChildren2 = 12,
    Check = 13,
    Multi = 14,
    Create2 = 15,
    CreateContainer = 19,
    CreateTtl = 21,
    Auth = 100,
    AddWatch = 106,
    CloseSession = -11,
    Error = -1,
}

/// <summary>Reserved request ids (xids) for the frames that are not ordinary requests.</summary>
internal static class ZkXid
{
    public const int Notification = -1;
    public const int Ping = -2;
    public const int Auth = -4;
}

/// <summary>Create modes (CreateMode's flag values).</summary>
internal enum ZkCreateMode
{
    Persistent = 0,
    Ephemeral = 1,
    PersistentSequential = 2,
    EphemeralSequential = 3,
    Container = 4,
    PersistentWithTtl = 5,
    PersistentSequentialWithTtl = 6,
}

/// <summary>Modes of <c>addWatch</c>.</summary>
internal enum ZkWatchMode
{
    Persistent = 0,
    PersistentRecursive = 1,
}
