using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Valkeyrie.Backends;
using Valkeyrie.ZooKeeper.Protocol;

namespace Valkeyrie.ZooKeeper;

/// <summary>
/// The Apache ZooKeeper store (3.6+): key <c>a/b/c</c> is znode <c>/&lt;chroot&gt;/a/b/c</c> holding the value; the
/// index is the node's modification zxid; compare-and-swap and transactions are ZooKeeper multis checking node
/// versions; every write also records its changes in a short change log so watchers see each write; TTL keys are
/// TTL nodes, keep-alive keys and locks ephemeral nodes of the store's session. See docs/backends/zookeeper.md.
/// </summary>
public sealed partial class ZooKeeperKvStore : KvStoreBase, IKvChangeFeed
{
    // Room for the values of a transaction (each sent twice) inside one 1 MiB request.
    private const int MaxTransactionBytes = 1000 * 1024;

    // Retries of a write that lost a race with another writer (a version changed between the read and the multi).
    private const int MaxAttempts = 25;

    private readonly ZkClient _client;
    private readonly ZooKeeperErrors _errors;
    private readonly ZooKeeperChangeHub _hub;
    private readonly IReadOnlyList<ZkAcl> _acl;
    private readonly ConcurrentDictionary<string, byte[]> _keptAlive = new(StringComparer.Ordinal);
    private readonly object _layoutGate = new();
    private Task? _layout;
    private int _trimming;

    /// <summary>Creates a store; it connects in the background and every call waits for the connection (up to the request timeout).</summary>
    /// <param name="options">The servers, chroot, timeouts and credentials.</param>
    /// <exception cref="KvConfigurationException">The options are invalid.</exception>
    public ZooKeeperKvStore(ZooKeeperKvStoreOptions options)
        : base(KvStoreLimits.ZooKeeper)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var endpoints = options.Endpoints.Select(ParseEndpoint).ToList();
        _acl = options.Acl switch
        {
            ZooKeeperAcl.Creator => ZkAcl.CreatorAll,
            ZooKeeperAcl.CreatorWorldRead => ZkAcl.CreatorAllWorldRead,
            _ => ZkAcl.Open,
        };
        _client = new ZkClient(new ZkClientOptions
        {
            Endpoints = endpoints,
            Chroot = options.Chroot,
            SessionTimeout = options.SessionTimeout,
            RequestTimeout = options.RequestTimeout,
            ConnectTimeout = options.ConnectTimeout,
            Authentications = options.Digest is { } digest ? [("digest", Encoding.UTF8.GetBytes(digest))] : [],
        });
        _errors = new ZooKeeperErrors(string.Join(',', options.Endpoints) + options.Chroot);
        _hub = new ZooKeeperChangeHub(_client, OnSessionRenewedAsync);
    }

    /// <summary>Creates a store from a <c>zookeeper://</c> connection string.</summary>
    /// <param name="connectionString">The parsed connection string.</param>
    public static ZooKeeperKvStore Create(KvConnectionString connectionString) =>
        new(ZooKeeperKvStoreOptions.FromConnectionString(connectionString));

    internal ZkClient Client => _client;

    internal ZooKeeperChangeHub Hub => _hub;

    internal IReadOnlyList<ZkAcl> Acl => _acl;

    /// <inheritdoc />
    protected override string? EndpointName => _errors.Endpoint;

    /// <inheritdoc />
    protected override IKvChangeFeed ChangeFeed => this;

    /// <inheritdoc />
    protected override Task<KvPair?> GetCoreAsync(string key, KvReadOptions options, CancellationToken cancellationToken)
    {
        key = ValidKey(key);
        return RunAsync(key, async ct =>
        {
            await SyncIfAskedAsync(options, ct).ConfigureAwait(false);
            return await ReadKeyAsync(key, ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task<KvPair> PutCoreAsync(string key, ReadOnlyMemory<byte> value, KvWriteOptions options, CancellationToken cancellationToken)
    {
        key = ValidKey(key);
        var result = await RunAsync(key, ct => WriteKeyAsync(key, value, Durability.For(options), null, false, ct), cancellationToken).ConfigureAwait(false);
        return result.Pair!;
    }

    /// <inheritdoc />
    protected override Task<bool> DeleteCoreAsync(string key, CancellationToken cancellationToken)
    {
        key = ValidKey(key);
        return RunAsync(key, async ct => (await DeleteKeyAsync(key, null, ct).ConfigureAwait(false)).Succeeded, cancellationToken);
    }

    /// <inheritdoc />
    protected override Task<IReadOnlyList<KvPair>> ListCoreAsync(string prefix, KvReadOptions options, CancellationToken cancellationToken)
    {
        prefix = ValidPrefix(prefix);
        return RunAsync<IReadOnlyList<KvPair>>(prefix, async ct =>
        {
            await SyncIfAskedAsync(options, ct).ConfigureAwait(false);
            return await ReadTreeAsync(ZooKeeperPaths.ToPath(prefix), ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    protected override Task<int> DeleteTreeCoreAsync(string prefix, CancellationToken cancellationToken)
    {
        prefix = ValidPrefix(prefix);
        return RunAsync(prefix, ct => DeleteSubtreeAsync(prefix, ct), cancellationToken);
    }

    /// <inheritdoc />
    protected override Task<KvCasResult> AtomicPutCoreAsync(string key, ReadOnlyMemory<byte> value, ulong expectedIndex, KvWriteOptions options, CancellationToken cancellationToken)
    {
        key = ValidKey(key);
        return RunAsync(key, ct => WriteKeyAsync(key, value, Durability.For(options), expectedIndex, false, ct), cancellationToken);
    }

    /// <inheritdoc />
    protected override Task<KvCasResult> AtomicDeleteCoreAsync(string key, ulong expectedIndex, CancellationToken cancellationToken)
    {
        key = ValidKey(key);
        return RunAsync(key, ct => DeleteKeyAsync(key, expectedIndex, ct), cancellationToken);
    }

    /// <inheritdoc />
    protected override Task<bool> CommitCoreAsync(KvTransaction transaction, CancellationToken cancellationToken)
    {
        var operations = transaction.Operations;
        long bytes = 0;
        foreach (var operation in operations)
        {
            ZooKeeperPaths.CheckStorable(operation.Key);
            bytes += (2L * operation.Value.Length) + (3L * ZooKeeperPaths.ByteCount(operation.Key)) + 64;
        }

        if (bytes > MaxTransactionBytes)
        {
            throw new KvLimitExceededException(ZooKeeperErrors.Backend, _errors.Endpoint, null,
                string.Create(CultureInfo.InvariantCulture, $"a transaction needs about {bytes} bytes, more than ZooKeeper's 1 MiB request limit allows ({MaxTransactionBytes} bytes, values counted twice for the change log); nothing was written."));
        }

        return RunAsync(null, ct => CommitOperationsAsync(operations, ct), cancellationToken);
    }

    /// <inheritdoc />
    protected override IKvLock CreateLockCore(string key, KvLockOptions options)
    {
        key = ValidKey(key);
        return new ZooKeeperKvLock(this, key, options);
    }

    /// <summary>
    /// Stops renewals and drops the connection WITHOUT closing the session, as if the process died: keep-alive keys
    /// and held locks (ephemeral nodes) disappear when the server expires the session, within its session timeout.
    /// </summary>
    protected override async ValueTask CloseCoreAsync()
    {
        DisposeParkedFeeds();
        await _hub.DisposeAsync().ConfigureAwait(false);
        await _client.DisposeAsync().ConfigureAwait(false);
    }

    internal async Task<T> RunAsync<T>(string? key, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (ZkException e)
        {
            throw _errors.Map(e, key);
        }
    }

    private static (string Host, int Port) ParseEndpoint(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        return colon > 0 && int.TryParse(endpoint.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? (endpoint[..colon].Trim('[', ']'), port)
            : (endpoint, ZooKeeperKvStoreOptions.DefaultPort);
    }

    private static string ValidKey(string key) => ZooKeeperPaths.CheckStorable(KvKeys.Normalize(key));

    private static string ValidPrefix(string prefix) => ZooKeeperPaths.CheckStorable(KvKeys.NormalizePrefix(prefix));

    private async Task SyncIfAskedAsync(KvReadOptions? options, CancellationToken cancellationToken)
    {
        if ((options ?? KvReadOptions.Default).Consistent)
        {
            await _client.SyncAsync(ZooKeeperPaths.Root, cancellationToken).ConfigureAwait(false);
        }
    }
}
