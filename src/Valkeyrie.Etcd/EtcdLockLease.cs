using Etcdserverpb;
using Valkeyrie.Backends;

namespace Valkeyrie.Etcd;

/// <summary>
/// A held etcd lock: renews its lease in the background and checks that the user's key still carries it. When the lease
/// expired, or the key was deleted or overwritten, the lock is lost: the lease is revoked (leaving the queue) and
/// <see cref="IKvLockLease.Lost"/> fires. Releasing revokes the lease, which deletes the key and the queue entry at once.
/// </summary>
internal sealed class EtcdLockLease : KvLockLease
{
    private readonly EtcdKvStore _store;
    private readonly long _leaseId;

    public EtcdLockLease(EtcdKvStore store, string key, ulong fencingToken, EtcdLeases.Granted lease)
        : base(key, fencingToken, lease.Ttl)
    {
        _store = store;
        _leaseId = lease.Id;
    }

    protected override async Task<bool> RenewAsync(CancellationToken cancellationToken)
    {
        var connection = _store.Connection;
        if (await connection.KeepAliveOnceAsync(Key, _leaseId, cancellationToken).ConfigureAwait(false))
        {
            var range = await connection.CallAsync(
                Key,
                o => connection.Kv.RangeAsync(new RangeRequest { Key = EtcdKeys.Bytes(Key), KeysOnly = true }, o).ResponseAsync,
                cancellationToken).ConfigureAwait(false);
            if (range.Kvs.Count == 1 && range.Kvs[0].Lease == _leaseId)
            {
                return true;
            }

            await connection.TryRevokeAsync(Key, _leaseId).ConfigureAwait(false);
        }

        _store.Untrack(this);
        return false;
    }

    protected override async Task ReleaseCoreAsync()
    {
        _store.Untrack(this);
        await _store.Connection.TryRevokeAsync(Key, _leaseId).ConfigureAwait(false);
    }
}
