using System.Threading.Channels;
using Valkeyrie.ZooKeeper.Protocol;

namespace Valkeyrie.ZooKeeper;

/// <summary>What the hub passes to its subscribers, in the order the server reported it.</summary>
internal abstract record ZooKeeperHubItem
{
    /// <summary>The changes of one change-log entry; <paramref name="Zxid"/> is the index of its puts.</summary>
    public sealed record Batch(long Zxid, IReadOnlyList<ZooKeeperChange> Changes) : ZooKeeperHubItem;

    /// <summary>A key node was deleted by the server itself (a TTL lapsed, a session ended) or by another tool.</summary>
    public sealed record Deleted(string Key) : ZooKeeperHubItem;

    /// <summary>Notifications may have been missed (a disconnection or a new session): subscribers must resynchronise.</summary>
    public sealed record Gap : ZooKeeperHubItem;
}

/// <summary>
/// The store's one consumer of the client's notifications. A persistent recursive watch on the root reports every
/// node event; the hub turns change-log entry creations into batches (reading each entry once, whatever the number
/// of watchers), node deletions into <see cref="ZooKeeperHubItem.Deleted"/>, and connection losses into
/// <see cref="ZooKeeperHubItem.Gap"/>. It also wakes lock waiters watching a path.
/// </summary>
internal sealed class ZooKeeperChangeHub : IAsyncDisposable
{
    private readonly ZkClient _client;
    private readonly Func<Task> _onSessionRenewed;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private readonly List<Subscription> _subscriptions = [];
    private readonly Dictionary<string, List<TaskCompletionSource>> _pathWaiters = new(StringComparer.Ordinal);
    private readonly Task _loop;
    private Task? _watching;

    public ZooKeeperChangeHub(ZkClient client, Func<Task> onSessionRenewed)
    {
        _client = client;
        _onSessionRenewed = onSessionRenewed;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Adds the root's persistent recursive watch once (the client re-adds it after reconnecting).</summary>
    public Task EnsureWatchingAsync(CancellationToken cancellationToken)
    {
        Task watching;
        lock (_gate)
        {
            if (_watching is null || _watching.IsFaulted || _watching.IsCanceled)
            {
                _watching = _client.AddWatchAsync(ZooKeeperPaths.Root, ZkWatchMode.PersistentRecursive, CancellationToken.None);
            }

            watching = _watching;
        }

        return watching.WaitAsync(cancellationToken);
    }

    public Subscription Subscribe()
    {
        var subscription = new Subscription(this);
        lock (_gate)
        {
            _subscriptions.Add(subscription);
        }

        return subscription;
    }

    /// <summary>Completes at the next event on <paramref name="path"/>, or at any connection change (so the waiter re-checks).</summary>
    public Task WaitForEventAsync(string path)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (!_pathWaiters.TryGetValue(path, out var waiters))
            {
                _pathWaiters[path] = waiters = [];
            }

            waiters.Add(waiter);
        }

        return waiter.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        lock (_gate)
        {
            foreach (var subscription in _subscriptions)
            {
                subscription.Writer.TryComplete();
            }

            _subscriptions.Clear();
        }

        WakeAll();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        try
        {
            await foreach (var notification in _client.Notifications.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                await HandleAsync(notification).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The store is being disposed.
        }
    }

    private async Task HandleAsync(ZkNotification notification)
    {
        switch (notification.Kind)
        {
            case ZkNotificationKind.Disconnected:
                Broadcast(new ZooKeeperHubItem.Gap());
                WakeAll();
                break;
            case ZkNotificationKind.SessionRenewed:
                Broadcast(new ZooKeeperHubItem.Gap());
                WakeAll();
                await _onSessionRenewed().ConfigureAwait(false);
                break;
            case ZkNotificationKind.Connected:
                WakeAll();
                break;
            case ZkNotificationKind.NodeEvent:
                Wake(notification.Path);
                if (notification.EventType == ZkEventType.NodeCreated && ZooKeeperPaths.IsChangeLogEntry(notification.Path))
                {
                    await ReadEntryAsync(notification.Path).ConfigureAwait(false);
                }
                else if (notification.EventType == ZkEventType.NodeDeleted && ZooKeeperPaths.IsKeyPath(notification.Path))
                {
                    await CheckDeletedAsync(notification.Path).ConfigureAwait(false);
                }

                break;
        }
    }

    private async Task ReadEntryAsync(string path)
    {
        if (!HasSubscribers())
        {
            return;
        }

        ZooKeeperHubItem item;
        try
        {
            var entry = await _client.GetDataAsync(path, _stop.Token).ConfigureAwait(false);
            item = entry is { } found
                ? new ZooKeeperHubItem.Batch(found.Stat.Czxid, ZooKeeperChangeRecord.Decode(found.Data))
                : new ZooKeeperHubItem.Gap(); // trimmed before it could be read
        }
        catch (Exception e) when (e is ZkException or InvalidDataException)
        {
            item = new ZooKeeperHubItem.Gap();
        }

        Broadcast(item);
    }

    // A node re-created in the same transaction (a key changing kind: persistent, TTL, ephemeral) is not a delete;
    // one re-created later will be reported by its change-log entry.
    private async Task CheckDeletedAsync(string path)
    {
        if (!HasSubscribers())
        {
            return;
        }

        ZooKeeperHubItem? item;
        try
        {
            item = await _client.ExistsAsync(path, _stop.Token).ConfigureAwait(false) is null
                ? new ZooKeeperHubItem.Deleted(ZooKeeperPaths.ToKey(path))
                : null;
        }
        catch (ZkException)
        {
            item = new ZooKeeperHubItem.Gap();
        }

        if (item is not null)
        {
            Broadcast(item);
        }
    }

    private bool HasSubscribers()
    {
        lock (_gate)
        {
            return _subscriptions.Count > 0;
        }
    }

    private void Broadcast(ZooKeeperHubItem item)
    {
        lock (_gate)
        {
            foreach (var subscription in _subscriptions)
            {
                subscription.Writer.TryWrite(item);
            }
        }
    }

    private void Wake(string path)
    {
        List<TaskCompletionSource>? waiters;
        lock (_gate)
        {
            if (_pathWaiters.Remove(path, out waiters) is false)
            {
                return;
            }
        }

        foreach (var waiter in waiters)
        {
            waiter.TrySetResult();
        }
    }

    private void WakeAll()
    {
        List<TaskCompletionSource> waiters;
        lock (_gate)
        {
            waiters = [.. _pathWaiters.Values.SelectMany(w => w)];
            _pathWaiters.Clear();
        }

        foreach (var waiter in waiters)
        {
            waiter.TrySetResult();
        }
    }

    private void Unsubscribe(Subscription subscription)
    {
        lock (_gate)
        {
            _subscriptions.Remove(subscription);
        }
    }

    /// <summary>One watcher's ordered queue of hub items, and the index it last saw for each key in its scope.</summary>
    internal sealed class Subscription(ZooKeeperChangeHub hub) : IDisposable
    {
        private readonly Channel<ZooKeeperHubItem> _items = Channel.CreateUnbounded<ZooKeeperHubItem>(new UnboundedChannelOptions { SingleReader = true });

        public ChannelWriter<ZooKeeperHubItem> Writer => _items.Writer;

        public ChannelReader<ZooKeeperHubItem> Reader => _items.Reader;

        public Dictionary<string, ulong> Known { get; } = new(StringComparer.Ordinal);

        public DateTime CreatedAt { get; } = DateTime.UtcNow;

        public void Dispose()
        {
            hub.Unsubscribe(this);
            _items.Writer.TryComplete();
        }
    }
}
