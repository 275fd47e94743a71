using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Valkeyrie.Backends;

namespace Valkeyrie.ZooKeeper;

public sealed partial class ZooKeeperKvStore
{
    // A snapshot's subscription waits here until the watch asks for the changes after it.
    private static readonly TimeSpan ParkedFeedLifetime = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<(KvScope Scope, ulong Revision), ConcurrentQueue<ZooKeeperChangeHub.Subscription>> _parkedFeeds = new();

    /// <summary>
    /// Subscribes to the hub first, then reads the scope: every change after the read is in the subscription (and
    /// changes already seen by the read are recognised by their index). The subscription is parked under the
    /// snapshot's revision for <see cref="IKvChangeFeed.ReadChangesAsync"/>.
    /// </summary>
    async Task<KvScopeSnapshot> IKvChangeFeed.ReadScopeAsync(KvScope scope, KvReadOptions options, CancellationToken cancellationToken)
    {
        ZooKeeperPaths.CheckStorable(scope.Key);
        return await RunAsync(scope.Key, async ct =>
        {
            await _hub.EnsureWatchingAsync(ct).ConfigureAwait(false);
            var subscription = _hub.Subscribe();
            try
            {
                await SyncIfAskedAsync(options, ct).ConfigureAwait(false);
                IReadOnlyList<KvPair> pairs = scope.IsTree
                    ? await ReadTreeAsync(ZooKeeperPaths.ToPath(scope.Key), ct).ConfigureAwait(false)
                    : await ReadKeyAsync(scope.Key, ct).ConfigureAwait(false) is { } single ? [single] : [];
                foreach (var pair in pairs)
                {
                    subscription.Known[pair.Key] = pair.LastIndex;
                }

                var revision = (ulong)Math.Max(_client.LastZxid, 1);
                Park(scope, revision, subscription);
                return new KvScopeSnapshot(pairs, revision);
            }
            catch
            {
                subscription.Dispose();
                throw;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Streams the changes after a snapshot this store just read. Without one (resuming after a failure) continuity
    /// cannot be proven — ZooKeeper replays no missed notifications — so it asks for a fresh snapshot.
    /// </summary>
    async IAsyncEnumerable<KvTreeChange> IKvChangeFeed.ReadChangesAsync(
        KvScope scope, ulong afterRevision, KvReadOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var subscription = Unpark(scope, afterRevision)
            ?? throw new KvHistoryLostException($"zookeeper: the watch of '{scope.Key}' resynchronises after revision {afterRevision}.");
        var known = subscription.Known;
        var revision = afterRevision;
        while (true)
        {
            var item = await subscription.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var events = new List<KvEvent>();
            switch (item)
            {
                case ZooKeeperHubItem.Gap:
                    throw new KvHistoryLostException($"zookeeper: notifications for '{scope.Key}' may have been missed while disconnected.");
                case ZooKeeperHubItem.Batch batch:
                    var index = (ulong)batch.Zxid;
                    foreach (var change in batch.Changes.Where(c => scope.Contains(c.Key)))
                    {
                        var seen = known.TryGetValue(change.Key, out var last);
                        if (change.IsDelete)
                        {
                            if (seen && last < index)
                            {
                                known.Remove(change.Key);
                                events.Add(KvEvent.Delete(change.Key, index));
                            }
                        }
                        else if (!seen || last < index)
                        {
                            known[change.Key] = index;
                            events.Add(KvEvent.Put(new KvPair(change.Key, change.Value, index)));
                        }
                    }

                    revision = Math.Max(revision, index);
                    break;
                case ZooKeeperHubItem.Deleted deleted when scope.Contains(deleted.Key) && known.Remove(deleted.Key):
                    // Deleted by the server (a TTL lapsed, a session ended): no change-log entry, no zxid.
                    events.Add(KvEvent.Delete(deleted.Key, 0));
                    break;
            }

            if (events.Count > 0)
            {
                yield return KvTreeChange.FromEvents(events, revision);
            }
        }
    }

    private void Park(KvScope scope, ulong revision, ZooKeeperChangeHub.Subscription subscription)
    {
        foreach (var (key, queue) in _parkedFeeds)
        {
            while (queue.TryPeek(out var old) && DateTime.UtcNow - old.CreatedAt > ParkedFeedLifetime && queue.TryDequeue(out old))
            {
                old.Dispose(); // a snapshot whose changes were never asked for
            }

            if (queue.IsEmpty)
            {
                _parkedFeeds.TryRemove(new KeyValuePair<(KvScope, ulong), ConcurrentQueue<ZooKeeperChangeHub.Subscription>>(key, queue));
            }
        }

        _parkedFeeds.GetOrAdd((scope, revision), _ => new()).Enqueue(subscription);
        if (IsDisposed)
        {
            DisposeParkedFeeds();
        }
    }

    private ZooKeeperChangeHub.Subscription? Unpark(KvScope scope, ulong revision) =>
        _parkedFeeds.TryGetValue((scope, revision), out var queue) && queue.TryDequeue(out var subscription) ? subscription : null;

    private void DisposeParkedFeeds()
    {
        foreach (var queue in _parkedFeeds.Values)
        {
            while (queue.TryDequeue(out var subscription))
            {
                subscription.Dispose();
            }
        }

        _parkedFeeds.Clear();
    }
}
