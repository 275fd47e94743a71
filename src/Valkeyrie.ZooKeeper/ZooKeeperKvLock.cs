using System.Globalization;
using Valkeyrie.Backends;
using Valkeyrie.ZooKeeper.Protocol;

namespace Valkeyrie.ZooKeeper;

/// <summary>
/// ZooKeeper's lock recipe: each contender creates an ephemeral sequential node under
/// <c>/_valkeyrie/locks/&lt;escaped key&gt;</c>; the lowest sequence holds the lock, every other contender waits for
/// the deletion of the node just before its own (no herd). The holder then writes the lock's value at the key as an
/// ephemeral node. Everything ephemeral dies with the session, so a dead holder frees the lock within the session timeout.
/// </summary>
internal sealed class ZooKeeperKvLock(ZooKeeperKvStore store, string key, KvLockOptions options) : IKvLock
{
    private const string NodePrefix = "l-";

    public string Key => key;

    public Task<IKvLockLease> AcquireAsync(CancellationToken cancellationToken = default) =>
        store.RunAsync(key, AcquireCoreAsync, cancellationToken);

    private async Task<IKvLockLease> AcquireCoreAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, store.Disposed);
        var token = linked.Token;
        var client = store.Client;
        var directory = ZooKeeperPaths.LockDirectory(key);
        await store.Hub.EnsureWatchingAsync(token).ConfigureAwait(false);
        var (ownPath, ownStat) = await CreateQueueNodeAsync(directory, token).ConfigureAwait(false);
        try
        {
            while (true)
            {
                token.ThrowIfCancellationRequested();
                var queue = await client.GetChildrenAsync(directory, token).ConfigureAwait(false);
                var contenders = (queue?.Children ?? []).Where(n => n.StartsWith(NodePrefix, StringComparison.Ordinal)).OrderBy(Sequence).ToList();
                var position = contenders.IndexOf(ownPath[(directory.Length + 1)..]);
                if (position < 0)
                {
                    // The node died with an expired session: queue again.
                    (ownPath, ownStat) = await CreateQueueNodeAsync(directory, token).ConfigureAwait(false);
                    continue;
                }

                if (position == 0)
                {
                    break;
                }

                var predecessor = ZooKeeperPaths.Child(directory, contenders[position - 1]);
                var changed = store.Hub.WaitForEventAsync(predecessor);
                if (await client.ExistsAsync(predecessor, token).ConfigureAwait(false) is not null)
                {
                    await changed.WaitAsync(token).ConfigureAwait(false);
                }
            }

            var sessionId = client.SessionId;
            var written = await store.WriteKeyAsync(key, options.Value, Durability.Ephemeral, null, true, token).ConfigureAwait(false);
            var lease = new Lease(store, key, ownPath, (ulong)ownStat.Czxid, written.Pair!.LastIndex, sessionId, options.Ttl);
            store.TrackUntilDisposed(lease, lease.AbandonAsync);
            lease.StartRenewing();
            return lease;
        }
        catch
        {
            // Cancelled or failed while queued: leave nothing behind for the other contenders to wait on.
            await DeleteQueueNodeQuietlyAsync(store, ownPath).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<(string Path, ZkStat Stat)> CreateQueueNodeAsync(string directory, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await store.Client.CreateAsync(
                    directory + "/" + NodePrefix, ReadOnlyMemory<byte>.Empty, store.Acl, ZkCreateMode.EphemeralSequential, 0, cancellationToken).ConfigureAwait(false);
            }
            catch (ZkException e) when (e.Code == ZkErrorCode.NoNode && attempt < 10)
            {
                // The queue's directory is a container node: ZooKeeper removes it once empty, so it may need creating again.
                await store.CreateIfMissingAsync(ZooKeeperPaths.Internal, ZkCreateMode.Persistent, cancellationToken).ConfigureAwait(false);
                await store.CreateIfMissingAsync(ZooKeeperPaths.Locks, ZkCreateMode.Persistent, cancellationToken).ConfigureAwait(false);
                await store.CreateIfMissingAsync(directory, ZkCreateMode.Container, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static long Sequence(string name) =>
        long.TryParse(name.AsSpan(NodePrefix.Length), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var sequence) ? sequence : long.MaxValue;

    private static async Task DeleteQueueNodeQuietlyAsync(ZooKeeperKvStore store, string path)
    {
        if (store.Disposed.IsCancellationRequested)
        {
            return; // the session ends with the store; its nodes go with it
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await store.DeleteQuietlyAsync(path, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ZkException or OperationCanceledException or ObjectDisposedException)
        {
            // The node is ephemeral: at worst it goes when the session ends.
        }
    }

    /// <summary>A held lock: renewal checks that the session is the same and the key still holds this lease's value.</summary>
    private sealed class Lease : KvLockLease
    {
        private readonly ZooKeeperKvStore _store;
        private readonly string _queueNode;
        private readonly ulong _index;
        private readonly long _sessionId;

        public Lease(ZooKeeperKvStore store, string key, string queueNode, ulong fencingToken, ulong index, long sessionId, TimeSpan ttl)
            : base(key, fencingToken, ttl)
        {
            _store = store;
            _queueNode = queueNode;
            _index = index;
            _sessionId = sessionId;

            // Taken away (the key deleted or overwritten) while the store lives: leave the queue so the next contender proceeds.
            Lost.Register(() =>
            {
                if (!IsReleased && !_store.Disposed.IsCancellationRequested)
                {
                    _ = DeleteQueueNodeQuietlyAsync(_store, _queueNode);
                }
            });
        }

        protected override async Task<bool> RenewAsync(CancellationToken cancellationToken)
        {
            if (_store.Client.SessionId != _sessionId)
            {
                return false; // the session expired: its ephemeral nodes, this lock included, are gone
            }

            var node = await _store.Client.GetDataAsync(ZooKeeperPaths.ToPath(Key), cancellationToken).ConfigureAwait(false);
            return node is { } found && (ulong)found.Stat.Mzxid == _index;
        }

        protected override async Task ReleaseCoreAsync()
        {
            _store.Untrack(this);
            try
            {
                await _store.RunAsync(Key, async ct =>
                {
                    var current = await _store.Client.GetDataAsync(ZooKeeperPaths.ToPath(Key), ct).ConfigureAwait(false);
                    if (current is { } found && (ulong)found.Stat.Mzxid == _index)
                    {
                        await _store.DeleteAsync(Key, ct).ConfigureAwait(false);
                    }

                    return true;
                }, CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                await DeleteQueueNodeQuietlyAsync(_store, _queueNode).ConfigureAwait(false);
            }
        }
    }
}
