namespace Valkeyrie.ZooKeeper.Protocol;

/// <summary>Types of watch notifications (Watcher.Event.EventType).</summary>
internal enum ZkEventType
{
    None = -1,
    NodeCreated = 1,
    NodeDeleted = 2,
    NodeDataChanged = 3,
    NodeChildrenChanged = 4,
    DataWatchRemoved = 5,
    ChildWatchRemoved = 6,
    PersistentWatchRemoved = 7,
}

/// <summary>What the client reports through its notification channel.</summary>
internal enum ZkNotificationKind
{
    /// <summary>A watch fired on <see cref="ZkNotification.Path"/>.</summary>
    NodeEvent,

    /// <summary>The connection dropped: notifications may be missed until the next <see cref="Connected"/>.</summary>
    Disconnected,

    /// <summary>Connected again (or for the first time), with the same session.</summary>
    Connected,

    /// <summary>The previous session expired and a new one was established: ephemeral nodes are gone.</summary>
    SessionRenewed,
}

/// <summary>A watch notification or a connection state change, delivered in the order they happened.</summary>
internal sealed record ZkNotification(ZkNotificationKind Kind, ZkEventType EventType, string Path)
{
    public static ZkNotification State(ZkNotificationKind kind) => new(kind, ZkEventType.None, string.Empty);
}
