using Valkeyrie.Backends;

namespace Valkeyrie.LiteDB;

/// <summary>
/// A lock in the file: held while the lock key exists with the holder's index (the fencing token) and an unexpired
/// lease. The key carries the lock's value and expires with the lease, so a dead holder frees it within its TTL.
/// Waiters wake on every change this process makes or its poller sees (a release, an expiry swept, another process's write).
/// </summary>
internal sealed class LiteDbKvLock(LiteDbKvStore store, string key, KvLockOptions options) : IKvLock
{
    // Bounds a wait even if no change is signalled, e.g. while the file is briefly unavailable to the poller.
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(1);

    public string Key => key;

    public async Task<IKvLockLease> AcquireAsync(CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, store.Disposed);
        var backoff = KvBackoff.CreateDefault();
        while (true)
        {
            store.ThrowIfDisposed();
            var changed = store.File.Changed;
            KvPair? acquired;
            long? holderExpiresAt;
            try
            {
                (acquired, holderExpiresAt) = await store.RunAsync(TryAcquire, key, linked.Token).ConfigureAwait(false);
                backoff.Reset();
            }
            catch (KvUnavailableException)
            {
                // A waiter outlives brief outages of the file, as a watch does.
                await backoff.DelayAsync(linked.Token).ConfigureAwait(false);
                continue;
            }

            if (acquired is not null)
            {
                var lease = new Lease(store, acquired, options.Ttl);
                store.TrackUntilDisposed(lease, lease.AbandonAsync);
                lease.StartRenewing();
                return lease;
            }

            var wait = MaxWait;
            if (holderExpiresAt is { } expiresAt)
            {
                var untilExpiry = TimeSpan.FromMilliseconds(expiresAt - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1);
                wait = untilExpiry < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : untilExpiry < MaxWait ? untilExpiry : MaxWait;
            }

            try
            {
                await changed.WaitAsync(wait, linked.Token).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Look again: the holder's lease may have run out.
            }
        }
    }

    private (KvPair? Acquired, long? HolderExpiresAt) TryAcquire(LiteDbSession session)
    {
        if (session.Find(key) is not null)
        {
            return (null, session.ExpiresAt(key));
        }

        LiteDbDiskSpace.Ensure(store.File, key, options.Value.Length);
        return (session.Write(b => b.Put(key, options.Value, options.Ttl), key), null);
    }

    private sealed class Lease(LiteDbKvStore store, KvPair pair, TimeSpan leaseTtl)
        : KvLockLease(pair.Key, pair.LastIndex, leaseTtl)
    {
        protected override Task<bool> RenewAsync(CancellationToken cancellationToken) =>
            store.RunAsync(s => s.Renew(pair.Key, pair.LastIndex, Ttl), pair.Key, cancellationToken);

        protected override async Task ReleaseCoreAsync()
        {
            store.Untrack(this);
            await store.RunAsync(
                s =>
                {
                    // Only this holder's key is deleted: after a loss the key may already be someone else's.
                    if (s.Find(pair.Key)?.LastIndex == pair.LastIndex)
                    {
                        s.Write(b => b.Delete(pair.Key), pair.Key);
                    }

                    return true;
                },
                pair.Key,
                CancellationToken.None).ConfigureAwait(false);
        }
    }
}
