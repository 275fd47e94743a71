using Valkeyrie.Backends;

namespace Valkeyrie.Redis;

/// <summary>
/// A lock on Redis: held while the lock key exists with the holder's index, which is the fencing token (the global
/// revision of the acquiring write, so it only grows). Acquiring is a create-only put with the lease TTL; renewing
/// extends the TTL only while the index still matches; releasing is a compare-and-delete. Waiters wake on the
/// change notifications every write publishes, and poll as a safety net.
/// </summary>
internal sealed class RedisKvLock(RedisKvStore store, string key, KvLockOptions options) : IKvLock
{
    public string Key => key;

    public async Task<IKvLockLease> AcquireAsync(CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, store.Disposed);
        var backoff = new KvBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));
        while (true)
        {
            store.ThrowIfDisposed();
            KvCasResult attempt;
            Task changed;
            try
            {
                await store.Connection.EnsureSubscribedAsync(linked.Token).ConfigureAwait(false);
                changed = store.Connection.Changed;
                attempt = await store.WriteAsync(key, options.Value, 0, new KvWriteOptions { Ttl = options.Ttl }, linked.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is KvUnavailableException or KvOutcomeUnknownException && !linked.IsCancellationRequested)
            {
                // A waiter keeps waiting through a failover. A create whose answer was lost may have taken the lock
                // without anyone holding it: its TTL frees it, as for a holder that died.
                await backoff.DelayAsync(linked.Token).ConfigureAwait(false);
                continue;
            }

            if (attempt.Succeeded)
            {
                var lease = new Lease(store, key, attempt.Pair!.LastIndex, options.Ttl);
                store.TrackUntilDisposed(lease, lease.AbandonAsync);
                lease.StartRenewing();
                return lease;
            }

            backoff.Reset();
            await store.WaitForChangeAsync(changed, linked.Token).ConfigureAwait(false);
        }
    }

    private sealed class Lease(RedisKvStore store, string key, ulong token, TimeSpan ttl)
        : KvLockLease(key, token, ttl)
    {
        protected override Task<bool> RenewAsync(CancellationToken cancellationToken) =>
            store.RenewAsync(Key, FencingToken, Ttl, cancellationToken);

        protected override async Task ReleaseCoreAsync()
        {
            store.Untrack(this);
            // Only the holder's index is deleted: a lock that expired and went to someone else stays theirs.
            await store.AtomicDeleteAsync(Key, FencingToken).ConfigureAwait(false);
        }
    }
}
