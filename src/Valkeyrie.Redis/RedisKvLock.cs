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
        while (true)
        {
            store.ThrowIfDisposed();
            await store.Connection.EnsureSubscribedAsync(linked.Token).ConfigureAwait(false);
            var changed = store.Connection.Changed;
            var attempt = await store.WriteAsync(key, options.Value, 0, new KvWriteOptions { Ttl = options.Ttl }, linked.Token).ConfigureAwait(false);
            if (attempt.Succeeded)
            {
                var lease = new Lease(store, key, attempt.Pair!.LastIndex, options.Ttl);
                store.TrackUntilDisposed(lease, lease.AbandonAsync);
                lease.StartRenewing();
                return lease;
            }

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
