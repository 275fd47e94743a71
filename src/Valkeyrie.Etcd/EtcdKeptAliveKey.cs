using Etcdserverpb;
using Google.Protobuf;
using Valkeyrie.Backends;

namespace Valkeyrie.Etcd;

/// <summary>
/// Keeps a key written with <see cref="KvWriteOptions.KeepAlive"/> alive: renews its lease about every third of the
/// TTL until the key is overwritten or deleted (its lease is no longer the key's) or the store is disposed. It never
/// gives up during an outage; if the lease was lost meanwhile (it expired and took the key with it), it grants a new
/// one and writes the key back, unless someone else created the key in the meantime.
/// </summary>
internal sealed class EtcdKeptAliveKey
{
    private readonly EtcdKvStore _store;
    private readonly string _key;
    private readonly ByteString _value;
    private readonly TimeSpan _ttl;
    private long _leaseId;
    private Task _loop = Task.CompletedTask;

    public EtcdKeptAliveKey(EtcdKvStore store, string key, ByteString value, EtcdLeases.Granted lease)
    {
        _store = store;
        _key = key;
        _value = value;
        _ttl = lease.Ttl > TimeSpan.Zero ? lease.Ttl : TimeSpan.FromSeconds(1);
        _leaseId = lease.Id;
    }

    private TimeSpan Interval => _ttl / 3;

    public void Start()
    {
        _store.TrackUntilDisposed(this, AbandonAsync);
        _loop = Task.Run(RunAsync);
    }

    // The store's disposal stops the loop without revoking: the key expires within its TTL, as if the process died.
    private Task AbandonAsync() => _loop;

    private async Task RunAsync()
    {
        var backoff = new KvBackoff(TimeSpan.FromMilliseconds(100), Interval);
        var delay = Interval;
        var stop = _store.Disposed;
        while (true)
        {
            try
            {
                await Task.Delay(delay, stop).ConfigureAwait(false);
                if (!await RenewAsync(stop).ConfigureAwait(false))
                {
                    _store.Untrack(this);
                    return;
                }

                backoff.Reset();
                delay = Interval;
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A background renewal must never crash the process; it retries until the store is disposed.
            catch (Exception)
#pragma warning restore CA1031
            {
                delay = backoff.NextDelay();
            }
        }
    }

    // False when the key is no longer this writer's to keep alive.
    private async Task<bool> RenewAsync(CancellationToken cancellationToken)
    {
        var connection = _store.Connection;
        if (await connection.KeepAliveOnceAsync(_key, _leaseId, cancellationToken).ConfigureAwait(false))
        {
            var range = await connection.CallAsync(
                _key,
                o => connection.Kv.RangeAsync(new RangeRequest { Key = EtcdKeys.Bytes(_key), KeysOnly = true }, o).ResponseAsync,
                cancellationToken).ConfigureAwait(false);
            if (range.Kvs.Count == 1 && range.Kvs[0].Lease == _leaseId)
            {
                return true;
            }

            await connection.TryRevokeAsync(_key, _leaseId).ConfigureAwait(false);
            return false;
        }

        var lease = await connection.GrantAsync(_key, _ttl, cancellationToken).ConfigureAwait(false);
        var request = new TxnRequest();
        request.Compare.Add(EtcdTransactions.IndexEquals(_key, 0));
        request.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = EtcdKeys.Bytes(_key), Value = _value, Lease = lease.Id } });
        var response = await _store.TxnAsync(_key, request, cancellationToken).ConfigureAwait(false);
        if (!response.Succeeded)
        {
            await connection.TryRevokeAsync(_key, lease.Id).ConfigureAwait(false);
            return false;
        }

        _leaseId = lease.Id;
        return true;
    }
}
