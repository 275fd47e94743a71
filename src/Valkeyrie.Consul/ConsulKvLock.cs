using Valkeyrie.Backends;

namespace Valkeyrie.Consul;

/// <summary>
/// A lock on Consul: held while the lock key exists, locked by the holder's session (behavior delete, lock-delay 0).
/// Acquiring creates the key only when it is absent; waiters block on the key with blocking queries until it is
/// deleted. Releasing destroys the session, which deletes the key at once; a dead holder's session expires.
/// </summary>
internal sealed class ConsulKvLock(ConsulKvStore store, string key, KvLockOptions options) : IKvLock
{
    public string Key => key;

    public async Task<IKvLockLease> AcquireAsync(CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, store.Disposed);
        var token = linked.Token;
        var ttl = store.Sessions.EffectiveTtl(options.Ttl, key);
        ulong waitIndex = 0;
        var backoff = new KvBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));
        while (true)
        {
            store.ThrowIfDisposed();
            try
            {
                var (entries, index) = await store.ReadAsync(KvScope.ForKey(key), KvReadOptions.Default, waitIndex, token).ConfigureAwait(false);
                if (entries.Count == 0)
                {
                    if (await TryAcquireAsync(ttl, token).ConfigureAwait(false) is { } lease)
                    {
                        return lease;
                    }

                    waitIndex = 0;
                    continue;
                }

                // An index that went backwards (the servers' state was reset) would block a whole wait time: read afresh.
                waitIndex = index < waitIndex ? 0 : Math.Max(index, 1);
                backoff.Reset();
            }
            catch (Exception e) when (e is KvUnavailableException or KvOutcomeUnknownException && !token.IsCancellationRequested)
            {
                // A waiter keeps waiting through a leader election or an agent restart (an acquire that lost its answer
                // destroyed its session, which deletes the key if it was written): read afresh after a pause.
                waitIndex = 0;
                await backoff.DelayAsync(token).ConfigureAwait(false);
            }
        }
    }

    private async Task<Lease?> TryAcquireAsync(TimeSpan ttl, CancellationToken cancellationToken)
    {
        var session = await store.Sessions.CreateAsync(options.Ttl, key, cancellationToken).ConfigureAwait(false);
        Lease? lease = null;
        try
        {
            var (applied, response) = await store.TransactAsync(
                [store.Ops.CheckNotExists(key), .. store.Ops.Write(key, options.Value, session)], key, cancellationToken).ConfigureAwait(false);
            if (!applied)
            {
                return null;
            }

            var fencingToken = (response.Results is { Count: > 0 } results ? results[^1].Kv?.ModifyIndex : null)
                ?? throw new KvException(ConsulTransport.Backend, store.Transport.CurrentEndpoint, key, "the lock transaction's answer carried no entry; is this a Consul agent?");
            lease = new Lease(store, key, session, fencingToken, ttl);
            store.TrackUntilDisposed(lease, lease.AbandonAsync);
            lease.StartRenewing();
            return lease;
        }
        finally
        {
            if (lease is null)
            {
                // Also covers a cancellation that raced with a successful write: destroying the session deletes the key.
                await store.Sessions.DestroyQuietlyAsync(session, key).ConfigureAwait(false);
            }
        }
    }

    private sealed class Lease(ConsulKvStore store, string key, string session, ulong fencingToken, TimeSpan ttl)
        : KvLockLease(key, fencingToken, ttl)
    {
        protected override async Task<bool> RenewAsync(CancellationToken cancellationToken)
        {
            var held = await store.Sessions.RenewAsync(session, Key, cancellationToken).ConfigureAwait(false)
                && await store.HoldsAsync(Key, session, FencingToken, cancellationToken).ConfigureAwait(false);
            if (!held)
            {
                // Taken away (deleted or overwritten) or expired: the session guards nothing any more.
                store.Untrack(this);
                await store.Sessions.DestroyQuietlyAsync(session, Key).ConfigureAwait(false);
            }

            return held;
        }

        protected override async Task ReleaseCoreAsync()
        {
            store.Untrack(this);
            await store.Sessions.DestroyAsync(session, Key, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
