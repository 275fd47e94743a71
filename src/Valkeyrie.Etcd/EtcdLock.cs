using Etcdserverpb;
using Grpc.Core;
using Google.Protobuf;
using V3Lockpb;
using Valkeyrie.Backends;

namespace Valkeyrie.Etcd;

/// <summary>
/// A lock on etcd's lock service: the contender grants a lease and queues under
/// <c>_valkeyrie/locks/&lt;key&gt;/&lt;lease&gt;</c> (etcd orders waiters by create revision and answers the oldest), then
/// writes the lock's value at the user's key under the same lease. Revoking the lease releases both at once; a dead
/// holder's lease expires within its TTL and frees both as well.
/// </summary>
internal sealed class EtcdLock(EtcdKvStore store, string key, KvLockOptions options) : IKvLock
{
    public string Key => key;

    public async Task<IKvLockLease> AcquireAsync(CancellationToken cancellationToken = default)
    {
        store.ThrowIfDisposed();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, store.Disposed);
        var connection = store.Connection;
        var waiter = new Waiter(await GrantThroughFailoverAsync(connection, linked.Token).ConfigureAwait(false));
        using var stopPulse = new CancellationTokenSource();
        var pulse = Task.Run(() => waiter.KeepAliveWhileWaitingAsync(connection, key, stopPulse.Token), CancellationToken.None);
        try
        {
            var backoff = KvBackoff.CreateDefault();
            while (true)
            {
                try
                {
                    var fencingToken = await TryAcquireAsync(waiter.Lease.Id, linked.Token).ConfigureAwait(false);
                    if (fencingToken is { } token)
                    {
                        await StopAsync(stopPulse, pulse).ConfigureAwait(false);
                        var lease = new EtcdLockLease(store, key, token, waiter.Lease);
                        store.TrackUntilDisposed(lease, lease.AbandonAsync);
                        lease.StartRenewing();
                        return lease;
                    }

                    waiter.Lease = await connection.GrantAsync(key, options.Ttl, linked.Token).ConfigureAwait(false);
                }
                catch (KvException e) when (IsLeaseGone(e))
                {
                    // The lease expired while the server was unreachable: queue again with a new one.
                    waiter.Lease = await GrantThroughFailoverAsync(connection, linked.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is KvUnavailableException or KvOutcomeUnknownException)
                {
                    await backoff.DelayAsync(linked.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception)
        {
            await StopAsync(stopPulse, pulse).ConfigureAwait(false);
            await connection.TryRevokeAsync(key, waiter.Lease.Id).ConfigureAwait(false);
            store.ThrowIfDisposed();
            throw;
        }
    }

    // A waiter keeps waiting through an election or a member restart, its first lease included (a grant whose
    // answer was lost leaves at most an unused lease, which expires within the TTL).
    private async Task<EtcdLeases.Granted> GrantThroughFailoverAsync(EtcdConnection connection, CancellationToken cancellationToken)
    {
        var backoff = KvBackoff.CreateDefault();
        while (true)
        {
            try
            {
                return await connection.GrantAsync(key, options.Ttl, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is KvUnavailableException or KvOutcomeUnknownException)
            {
                await backoff.DelayAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // Waits in the queue, then writes the value; the fencing token is the revision of that write, or null when the
    // queue entry vanished (its lease expired) before the value could be written.
    private async Task<ulong?> TryAcquireAsync(long leaseId, CancellationToken cancellationToken)
    {
        var connection = store.Connection;
        var queue = EtcdKeys.Bytes(EtcdKeys.LockQueue(key));
        var locked = await connection.CallAsync(
            key,
            o => connection.Lock.LockAsync(new LockRequest { Name = queue, Lease = leaseId }, o).ResponseAsync,
            cancellationToken,
            withDeadline: false).ConfigureAwait(false);

        var request = new TxnRequest();
        request.Compare.Add(new Compare
        {
            Key = locked.Key,
            Target = Compare.Types.CompareTarget.Create,
            Result = Compare.Types.CompareResult.Greater,
            CreateRevision = 0,
        });
        request.Success.Add(new RequestOp
        {
            RequestPut = new PutRequest { Key = EtcdKeys.Bytes(key), Value = ByteString.CopyFrom(options.Value.Span), Lease = leaseId },
        });
        var response = await store.TxnAsync(key, request, cancellationToken).ConfigureAwait(false);
        return response.Succeeded ? (ulong)response.Header.Revision : null;
    }

    private static bool IsLeaseGone(KvException e) =>
        e.InnerException is RpcException { StatusCode: StatusCode.NotFound } rpc && rpc.Status.Detail.Contains("lease not found", StringComparison.Ordinal);

    private static async Task StopAsync(CancellationTokenSource stop, Task pulse)
    {
        await stop.CancelAsync().ConfigureAwait(false);
        await pulse.ConfigureAwait(false);
    }

    /// <summary>The lease of a contender still waiting in the queue, kept alive until it acquires or gives up.</summary>
    private sealed class Waiter(EtcdLeases.Granted lease)
    {
        private EtcdLeases.Granted _lease = lease;

        public EtcdLeases.Granted Lease
        {
            get => Volatile.Read(ref _lease);
            set => Volatile.Write(ref _lease, value);
        }

        public async Task KeepAliveWhileWaitingAsync(EtcdConnection connection, string key, CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromTicks(Math.Max(Lease.Ttl.Ticks / 3, TimeSpan.TicksPerSecond / 10)), stop).ConfigureAwait(false);
                    await connection.KeepAliveOnceAsync(key, Lease.Id, stop).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // Renewal failures are retried at the next beat; a lost lease shows up as the lock call failing.
                catch (Exception)
#pragma warning restore CA1031
                {
                    if (stop.IsCancellationRequested)
                    {
                        return;
                    }
                }
            }
        }
    }
}
