using Valkeyrie.Backends;

namespace Valkeyrie;

/// <summary>
/// A lock of the in-memory store: held while the lock key exists with the holder's index; waiters wake on every
/// change of the store (a release or an expiry).
/// </summary>
internal sealed class MemoryKvLock(MemoryKvStore store, string key, KvLockOptions options) : IKvLock
{
    public string Key => key;

    public async Task<IKvLockLease> AcquireAsync(CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, store.Disposed);
        var state = store.State;
        while (true)
        {
            store.ThrowIfDisposed();
            Task changed;
            lock (state.Gate)
            {
                if (state.Find(key) is null)
                {
                    var batch = state.Begin();
                    var pair = batch.Put(key, options.Value, options.Ttl);
                    batch.Publish();
                    var lease = new Lease(store, pair, options.Ttl);
                    store.TrackUntilDisposed(lease, lease.AbandonAsync);
                    lease.StartRenewing();
                    return lease;
                }

                changed = state.Changed;
            }

            await changed.WaitAsync(linked.Token).ConfigureAwait(false);
        }
    }

    private sealed class Lease(MemoryKvStore store, KvPair pair, TimeSpan leaseTtl)
        : KvLockLease(pair.Key, pair.LastIndex, leaseTtl, store.State.Time)
    {
        protected override Task<bool> RenewAsync(CancellationToken cancellationToken)
        {
            lock (store.State.Gate)
            {
                return Task.FromResult(store.State.Renew(pair.Key, pair.LastIndex, Ttl));
            }
        }

        protected override Task ReleaseCoreAsync()
        {
            store.Untrack(this);
            lock (store.State.Gate)
            {
                if (store.State.Find(pair.Key)?.Pair.LastIndex == pair.LastIndex)
                {
                    var batch = store.State.Begin();
                    batch.Delete(pair.Key);
                    batch.Publish();
                }
            }

            return Task.CompletedTask;
        }
    }
}
