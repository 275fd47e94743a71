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
public sealed class EtcdKvStore : IKvStore
{
    private readonly EtcdConnection _connection;
    private readonly EtcdChangeFeed _feed;
    private readonly KvStoreLifetime _lifetime = new();

    /// <summary>Creates a store; nothing is contacted until the first call.</summary>
    /// <param name="options">Endpoints, credentials, TLS and timeouts.</param>
    /// <exception cref="KvConfigurationException">The options are invalid.</exception>
    public EtcdKvStore(EtcdKvStoreOptions options)
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

    internal CancellationToken Disposed => _lifetime.Stopping;

    /// <inheritdoc />
    public async Task<KvPair?> GetAsync(string key, KvReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        key = KvKeys.Normalize(key);
        ThrowIfDisposed();
        var snapshot = await _feed.ReadScopeAsync(KvScope.ForKey(key), options ?? KvReadOptions.Default, cancellationToken).ConfigureAwait(false);
        return snapshot.Pairs.Count > 0 ? snapshot.Pairs[0] : null;
    }

    /// <inheritdoc />
    public async Task<bool> ExistsAsync(string key, KvReadOptions? options = null, CancellationToken cancellationToken = default) =>
        await GetAsync(key, options, cancellationToken).ConfigureAwait(false) is not null;

    /// <inheritdoc />
    public async Task<KvPair> PutAsync(string key, ReadOnlyMemory<byte> value, KvWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        key = KvKeys.Normalize(key);
        options ??= KvWriteOptions.Default;
        options.Validate();
        ThrowIfDisposed();
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
    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        key = KvKeys.Normalize(key);
        ThrowIfDisposed();
        var response = await _connection.CallWriteAsync(
            key,
            o => _connection.Kv.DeleteRangeAsync(new DeleteRangeRequest { Key = EtcdKeys.Bytes(key) }, o).ResponseAsync,
            cancellationToken).ConfigureAwait(false);
        return response.Deleted > 0;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<KvPair>> ListAsync(string prefix, KvReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        prefix = KvKeys.NormalizePrefix(prefix);
        ThrowIfDisposed();
        var snapshot = await _feed.ReadScopeAsync(KvScope.ForTree(prefix), options ?? KvReadOptions.Default, cancellationToken).ConfigureAwait(false);
        return snapshot.Pairs;
    }

    /// <inheritdoc />
    public async Task<int> DeleteTreeAsync(string prefix, CancellationToken cancellationToken = default)
    {
        prefix = KvKeys.NormalizePrefix(prefix);
        ThrowIfDisposed();
        var request = new TxnRequest();
        request.Success.AddRange(EtcdKeys.DeleteTree(prefix).Select(d => new RequestOp { RequestDeleteRange = d }));
        var response = await TxnAsync(prefix, request, cancellationToken).ConfigureAwait(false);
        return (int)response.Responses.Sum(r => r.ResponseDeleteRange.Deleted);
    }

    /// <inheritdoc />
    public async Task<KvCasResult> AtomicPutAsync(string key, ReadOnlyMemory<byte> value, ulong expectedIndex, KvWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        key = KvKeys.Normalize(key);
        options ??= KvWriteOptions.Default;
        options.Validate();
        ThrowIfDisposed();
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
    public async Task<KvCasResult> AtomicDeleteAsync(string key, ulong expectedIndex, CancellationToken cancellationToken = default)
    {
        key = KvKeys.Normalize(key);
        ArgumentOutOfRangeException.ThrowIfZero(expectedIndex);
        ThrowIfDisposed();
        var request = new TxnRequest();
        request.Compare.Add(EtcdTransactions.IndexEquals(key, expectedIndex));
        request.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = EtcdKeys.Bytes(key) } });
        request.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = EtcdKeys.Bytes(key), KeysOnly = true } });
        var response = await TxnAsync(key, request, cancellationToken).ConfigureAwait(false);
        return response.Succeeded ? KvCasResult.Success(null) : KvCasResult.Failure(EtcdTransactions.Mismatch(expectedIndex, response));
    }

    /// <inheritdoc />
    public async Task<bool> CommitAsync(KvTransaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ThrowIfDisposed();
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
    public IAsyncEnumerable<KvPair?> WatchAsync(string key, KvReadOptions? options = null, CancellationToken cancellationToken = default) =>
        KvWatchStreams.WatchKeyAsync(_feed, key, options, _lifetime.Stopping, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<KvTreeChange> WatchTreeAsync(string prefix, KvReadOptions? options = null, CancellationToken cancellationToken = default) =>
        KvWatchStreams.WatchTreeAsync(_feed, prefix, options, _lifetime.Stopping, cancellationToken);

    /// <inheritdoc />
    public IKvLock CreateLock(string key, KvLockOptions? options = null)
    {
        key = KvKeys.Normalize(key);
        options ??= KvLockOptions.Default;
        options.Validate();
        return new EtcdLock(this, key, options);
    }

    /// <summary>
    /// Stops renewing keep-alive keys and lock leases without releasing them, as if the process died (they expire within
    /// their TTL), ends every watch, and closes the connection.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (!await _lifetime.StopAsync().ConfigureAwait(false))
        {
            return;
        }

        _connection.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"etcd://{Endpoint}";

    internal void TrackUntilDisposed(object owner, Func<Task> abandon) => _lifetime.Track(owner, abandon);

    internal void Untrack(object owner) => _lifetime.Untrack(owner);

    internal void ThrowIfDisposed() => _lifetime.ThrowIfStopped(this);

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
