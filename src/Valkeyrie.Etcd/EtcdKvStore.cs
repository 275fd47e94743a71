using System.Collections.Concurrent;
using Etcdserverpb;
using Google.Protobuf;
using Valkeyrie.Backends;

namespace Valkeyrie.Etcd;

/// <summary>
/// The Valkeyrie store on etcd v3 (scheme <c>etcd://</c>). Keys are stored as-is, a pair's index is the key's mod
/// revision, compare-and-swap and transactions are etcd transactions, TTLs are leases, watches are etcd watches
/// resumed from the last revision seen, and locks use etcd's lock service under the reserved <c>_valkeyrie/</c> root.
/// See docs/backends/etcd.md.
/// </summary>
public sealed class EtcdKvStore : KvStoreBase
{
    private readonly EtcdConnection _connection;
    private readonly EtcdChangeFeed _feed;

    /// <summary>Creates a store; nothing is contacted until the first call.</summary>
    /// <param name="options">Endpoints, credentials, TLS and timeouts.</param>
    /// <exception cref="KvConfigurationException">The options are invalid.</exception>
    public EtcdKvStore(EtcdKvStoreOptions options)
        : base(LimitsOf(options))
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _connection = new EtcdConnection(options);
        _feed = new EtcdChangeFeed(_connection);
    }

    /// <summary>Creates a store from a connection string such as <c>etcd://user:password@h1:2379,h2:2379</c>.</summary>
    /// <param name="connectionString">The connection string.</param>
    public EtcdKvStore(string connectionString)
        : this(EtcdKvStoreOptions.Parse(KvConnectionString.Parse(connectionString)))
    {
    }

    /// <summary>The endpoints this store talks to, without credentials.</summary>
    public string Endpoint => _connection.Endpoint;

    internal EtcdConnection Connection => _connection;

    /// <inheritdoc />
    protected override string? EndpointName => Endpoint;

    /// <inheritdoc />
    protected override IKvChangeFeed ChangeFeed => _feed;

    /// <inheritdoc />
    protected override async Task<KvPair?> GetCoreAsync(string key, KvReadOptions options, CancellationToken cancellationToken)
    {
        var snapshot = await _feed.ReadScopeAsync(KvScope.ForKey(key), options, cancellationToken).ConfigureAwait(false);
        return snapshot.Pairs.Count > 0 ? snapshot.Pairs[0] : null;
    }

    /// <inheritdoc />
    protected override async Task<KvPair> PutCoreAsync(string key, ReadOnlyMemory<byte> value, KvWriteOptions options, CancellationToken cancellationToken)
    {
        var lease = await GrantIfAskedAsync(key, options.Ttl, cancellationToken).ConfigureAwait(false);
        var bytes = ByteString.CopyFrom(value.Span);
        var response = await _connection.CallWriteAsync(
            key,
            o => _connection.Kv.PutAsync(new PutRequest { Key = EtcdKeys.Bytes(key), Value = bytes, Lease = lease?.Id ?? 0 }, o).ResponseAsync,
            cancellationToken).ConfigureAwait(false);
        var pair = new KvPair(key, bytes.Memory, (ulong)response.Header.Revision);
        KeepAliveIfAsked(pair, bytes, lease, options);
        return pair;
    }

    /// <inheritdoc />
    protected override async Task<bool> DeleteCoreAsync(string key, CancellationToken cancellationToken)
    {
        var response = await _connection.CallWriteAsync(
            key,
            o => _connection.Kv.DeleteRangeAsync(new DeleteRangeRequest { Key = EtcdKeys.Bytes(key) }, o).ResponseAsync,
            cancellationToken).ConfigureAwait(false);
        return response.Deleted > 0;
    }

    /// <inheritdoc />
    protected override async Task<IReadOnlyList<KvPair>> ListCoreAsync(string prefix, KvReadOptions options, CancellationToken cancellationToken)
    {
        var snapshot = await _feed.ReadScopeAsync(KvScope.ForTree(prefix), options, cancellationToken).ConfigureAwait(false);
        return snapshot.Pairs;
    }

    /// <inheritdoc />
    protected override async Task<int> DeleteTreeCoreAsync(string prefix, CancellationToken cancellationToken)
    {
        var request = new TxnRequest();
        request.Success.AddRange(EtcdKeys.DeleteTree(prefix).Select(d => new RequestOp { RequestDeleteRange = d }));
        var response = await TxnAsync(prefix, request, cancellationToken).ConfigureAwait(false);
        return (int)response.Responses.Sum(r => r.ResponseDeleteRange.Deleted);
    }

    /// <inheritdoc />
    protected override async Task<KvCasResult> AtomicPutCoreAsync(string key, ReadOnlyMemory<byte> value, ulong expectedIndex, KvWriteOptions options, CancellationToken cancellationToken)
    {
        var lease = await GrantIfAskedAsync(key, options.Ttl, cancellationToken).ConfigureAwait(false);
        var bytes = ByteString.CopyFrom(value.Span);
        var request = new TxnRequest();
        request.Compare.Add(EtcdTransactions.IndexEquals(key, expectedIndex));
        request.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = EtcdKeys.Bytes(key), Value = bytes, Lease = lease?.Id ?? 0 } });
        request.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = EtcdKeys.Bytes(key), KeysOnly = true } });
        var response = await TxnAsync(key, request, cancellationToken).ConfigureAwait(false);
        if (!response.Succeeded)
        {
            if (lease is { } unused)
            {
                await _connection.TryRevokeAsync(key, unused.Id).ConfigureAwait(false);
            }

            return KvCasResult.Failure(EtcdTransactions.Mismatch(expectedIndex, response));
        }

        var pair = new KvPair(key, bytes.Memory, (ulong)response.Header.Revision);
        KeepAliveIfAsked(pair, bytes, lease, options);
        return KvCasResult.Success(pair);
    }

    /// <inheritdoc />
    protected override async Task<KvCasResult> AtomicDeleteCoreAsync(string key, ulong expectedIndex, CancellationToken cancellationToken)
    {
        var request = new TxnRequest();
        request.Compare.Add(EtcdTransactions.IndexEquals(key, expectedIndex));
        request.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = EtcdKeys.Bytes(key) } });
        request.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = EtcdKeys.Bytes(key), KeysOnly = true } });
        var response = await TxnAsync(key, request, cancellationToken).ConfigureAwait(false);
        return response.Succeeded ? KvCasResult.Success(null) : KvCasResult.Failure(EtcdTransactions.Mismatch(expectedIndex, response));
    }

    /// <inheritdoc />
    protected override async Task<bool> CommitCoreAsync(KvTransaction transaction, CancellationToken cancellationToken)
    {
        var plan = EtcdTransactions.Prepare(transaction, _connection.MaxTransactionOperations, _connection.Endpoint);
        var leases = new Dictionary<long, long>();
        foreach (var seconds in plan.TtlSeconds)
        {
            leases[seconds] = (await _connection.GrantAsync(null, TimeSpan.FromSeconds(seconds), cancellationToken).ConfigureAwait(false)).Id;
        }

        var response = await TxnAsync(null, plan.ToRequest(leases), cancellationToken).ConfigureAwait(false);
        if (!response.Succeeded)
        {
            foreach (var lease in leases.Values)
            {
                await _connection.TryRevokeAsync(null, lease).ConfigureAwait(false);
            }
        }

        return response.Succeeded;
    }

    /// <inheritdoc />
    protected override IKvLock CreateLockCore(string key, KvLockOptions options) => new EtcdLock(this, key, options);

    /// <summary>Closes the connection; keep-alive keys and lock leases were abandoned, so they expire within their TTL.</summary>
    protected override ValueTask CloseCoreAsync()
    {
        _connection.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override string ToString() => $"etcd://{Endpoint}";

    // The cluster's --max-txn-ops is configurable, so the operation limit is the one the options name.
    private static KvStoreLimits LimitsOf(EtcdKvStoreOptions options) =>
        KvStoreLimits.Etcd with { MaxTransactionOperations = (options ?? throw new ArgumentNullException(nameof(options))).MaxTransactionOperations };

    internal Task<TxnResponse> TxnAsync(string? key, TxnRequest request, CancellationToken cancellationToken) =>
        _connection.CallWriteAsync(key, o => _connection.Kv.TxnAsync(request, o).ResponseAsync, cancellationToken);

    private async Task<EtcdLeases.Granted?> GrantIfAskedAsync(string key, TimeSpan? ttl, CancellationToken cancellationToken) =>
        ttl is { } t ? await _connection.GrantAsync(key, t, cancellationToken).ConfigureAwait(false) : null;

    private void KeepAliveIfAsked(KvPair pair, ByteString value, EtcdLeases.Granted? lease, KvWriteOptions options)
    {
        if (options.KeepAlive && lease is { } granted)
        {
            new EtcdKeptAliveKey(this, pair.Key, value, granted).Start();
        }
    }
}
