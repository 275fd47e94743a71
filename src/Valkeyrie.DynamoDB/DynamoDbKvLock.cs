using Valkeyrie.Backends;

namespace Valkeyrie.DynamoDB;

/// <summary>
/// A lock on DynamoDB: held while the lock key exists with the holder's index (a create-only write with the lease as TTL,
/// so an expired holder's key counts as absent and can be taken over). The index is the fencing token: revisions only grow.
/// Waiters poll the key every <see cref="DynamoDbKvStoreOptions.PollInterval"/>.
/// </summary>
internal sealed class DynamoDbKvLock(DynamoDbKvStore store, string key, KvLockOptions options) : IKvLock
{
    public string Key => key;

    public async Task<IKvLockLease> AcquireAsync(CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, store.Disposed);
        var writeOptions = new KvWriteOptions { Ttl = options.Ttl };
        while (true)
        {
            store.ThrowIfDisposed();
            var result = await store.AtomicPutAsync(key, options.Value, 0, writeOptions, linked.Token).ConfigureAwait(false);
            if (result.Pair is { } pair)
            {
                var lease = new Lease(store, pair, options.Ttl);
                store.TrackUntilDisposed(lease, lease.AbandonAsync);
                lease.StartRenewing();
                return lease;
            }

            await Task.Delay(store.Options.PollInterval, linked.Token).ConfigureAwait(false);
        }
    }

    private sealed class Lease(DynamoDbKvStore store, KvPair pair, TimeSpan leaseTtl) : KvLockLease(pair.Key, pair.LastIndex, leaseTtl)
    {
        protected override Task<bool> RenewAsync(CancellationToken cancellationToken) =>
            store.RenewAsync(pair.Key, pair.LastIndex, Ttl, cancellationToken);

        protected override async Task ReleaseCoreAsync()
        {
            store.Untrack(this);
            await store.AtomicDeleteAsync(pair.Key, pair.LastIndex).ConfigureAwait(false);
        }
    }
}
