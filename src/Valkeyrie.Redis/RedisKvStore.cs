using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using StackExchange.Redis;
using Valkeyrie.Backends;

namespace Valkeyrie.Redis;

/// <summary>
/// A store on Redis 7 (standalone, or a Sentinel-managed primary). Every write is one Lua script that advances a
/// global revision, writes the key's hash (<c>value</c>, <c>index</c>), keeps a sorted-set index of keys for
/// listing, and appends the change to a stream that watchers read from their last revision. See
/// <c>docs/backends/redis.md</c> for the layout.
/// </summary>
public sealed class RedisKvStore : KvStoreBase, IKvChangeFeed
{
    private const int LogReadCount = 256;

    private static readonly RedisKey[] WriteKeys = [RedisLayout.Revision, RedisLayout.Keys, RedisLayout.Expiries, RedisLayout.Log];

    private readonly RedisKvStoreOptions _options;
    private readonly RedisConnection _connection;
    private readonly Task _sweeper;
    private readonly RedisNativeWrites _nativeWrites;

    /// <summary>Creates a store; it connects on first use and reconnects by itself.</summary>
    /// <param name="options">The settings.</param>
    /// <exception cref="KvConfigurationException">The options are invalid.</exception>
    public RedisKvStore(RedisKvStoreOptions options)
        : base(KvStoreLimits.Redis)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _connection = new RedisConnection(options, Disposed);
        _nativeWrites = new RedisNativeWrites(this);
        _sweeper = Task.Run(SweepExpiredAsync);
    }

    /// <summary>Creates a store from a connection string such as <c>redis://127.0.0.1:6379?password=…</c>.</summary>
    /// <param name="connectionString">The connection string; see <see cref="RedisKvStoreOptions.Parse(string)"/>.</param>
    public RedisKvStore(string connectionString)
        : this(RedisKvStoreOptions.Parse(connectionString))
    {
    }

    internal RedisConnection Connection => _connection;

    internal RedisKvStoreOptions Options => _options;

    /// <inheritdoc />
    protected override string? EndpointName => _connection.Endpoint;

    /// <inheritdoc />
    protected override IKvChangeFeed ChangeFeed => this;

    /// <inheritdoc />
    protected override async Task<KvPair?> GetCoreAsync(string key, KvReadOptions options, CancellationToken cancellationToken)
    {
        var (pairs, _) = await ReadKeyAsync(key, cancellationToken).ConfigureAwait(false);
        return pairs.Count > 0 ? pairs[0] : null;
    }

    /// <inheritdoc />
    protected override Task<bool> ExistsCoreAsync(string key, KvReadOptions options, CancellationToken cancellationToken) =>
         _connection.RunAsync(key, db => db.KeyExistsAsync(key), cancellationToken);

    /// <inheritdoc />
    protected override async Task<KvPair> PutCoreAsync(string key, ReadOnlyMemory<byte> value, KvWriteOptions options, CancellationToken cancellationToken)
    {
        var result = await WriteAsync(key, value, expectedIndex: null, options, cancellationToken).ConfigureAwait(false);
        return result.Pair!;
    }

    /// <inheritdoc />
    protected override async Task<bool> DeleteCoreAsync(string key, CancellationToken cancellationToken)
    {
        var outcome = await EvalAsync(key, RedisScripts.Delete, [key, string.Empty], cancellationToken).ConfigureAwait(false);
        return (int)outcome == (int)KvCasOutcome.Succeeded;
    }

    /// <inheritdoc />
    protected override async Task<IReadOnlyList<KvPair>> ListCoreAsync(string prefix, KvReadOptions options, CancellationToken cancellationToken)
    {
        var (pairs, _) = await ReadTreeAsync(prefix, cancellationToken).ConfigureAwait(false);
        return pairs;
    }

    /// <inheritdoc />
    protected override async Task<int> DeleteTreeCoreAsync(string prefix, CancellationToken cancellationToken)
    {
        var (min, max) = RedisLayout.DescendantRange(prefix);
        var count = await EvalAsync(prefix, RedisScripts.DeleteTree, [prefix, min, max], cancellationToken).ConfigureAwait(false);
        return (int)count;
    }

    /// <inheritdoc />
    protected override Task<KvCasResult> AtomicPutCoreAsync(string key, ReadOnlyMemory<byte> value, ulong expectedIndex, KvWriteOptions options, CancellationToken cancellationToken) =>
        WriteAsync(key, value, expectedIndex, options, cancellationToken);

    /// <inheritdoc />
    protected override async Task<KvCasResult> AtomicDeleteCoreAsync(string key, ulong expectedIndex, CancellationToken cancellationToken)
    {
        var outcome = await EvalAsync(key, RedisScripts.Delete, [key, Text(expectedIndex)], cancellationToken).ConfigureAwait(false);
        return new KvCasResult((KvCasOutcome)(int)outcome);
    }

    /// <inheritdoc />
    protected override async Task<bool> CommitCoreAsync(KvTransaction transaction, CancellationToken cancellationToken)
    {
        var operations = transaction.Operations;
        if (operations.Count == 0)
        {
            return true;
        }

        var args = new List<RedisValue>(operations.Count * 4) { operations.Count };
        foreach (var operation in operations)
        {
            switch (operation.Kind)
            {
                case KvTransactionOperationKind.CheckIndex:
                    args.AddRange(["c", operation.Key, Text(operation.Index)]);
                    break;
                case KvTransactionOperationKind.Put:
                    args.AddRange(["p", operation.Key, operation.Value, TtlArgument(operation.Options?.Ttl)]);
                    break;
                case KvTransactionOperationKind.Delete:
                    args.AddRange(["d", operation.Key, "-"]);
                    break;
            }
        }

        return (int)await EvalAsync(null, RedisScripts.Commit, [.. args], cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    protected override IKvLock CreateLockCore(string key, KvLockOptions options) => new RedisKvLock(this, key, options);

    /// <inheritdoc />
    async Task<KvScopeSnapshot> IKvChangeFeed.ReadScopeAsync(KvScope scope, KvReadOptions options, CancellationToken cancellationToken)
    {
        if (_options.NativeWrites)
        {
            // Before the read, so that a native write after it is always notified.
            await _nativeWrites.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        }

        var (pairs, revision) = scope.IsTree
            ? await ReadTreeAsync(scope.Key, cancellationToken).ConfigureAwait(false)
            : await ReadKeyAsync(scope.Key, cancellationToken).ConfigureAwait(false);
        return new KvScopeSnapshot(pairs, revision);
    }

    /// <inheritdoc />
    async IAsyncEnumerable<KvTreeChange> IKvChangeFeed.ReadChangesAsync(
        KvScope scope, ulong afterRevision, KvReadOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            ThrowIfDisposed();
            await _connection.EnsureSubscribedAsync(cancellationToken).ConfigureAwait(false);
            if (_options.NativeWrites)
            {
                await _nativeWrites.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
            }

            var changed = _connection.Changed;
            var after = afterRevision;
            var reply = await _connection.RunAsync(
                scope.Key,
                db => db.ScriptEvaluateReadOnlyAsync(RedisScripts.ReadLog, [RedisLayout.Revision, RedisLayout.Log], [Text(after), LogReadCount]),
                cancellationToken).ConfigureAwait(false);
            var parts = (RedisResult[])reply!;
            if ((string)parts[0]! == "lost")
            {
                throw new KvHistoryLostException(
                    $"redis at {_connection.Endpoint}: the change log no longer holds the changes after revision {afterRevision} (trimmed to its last {_options.ChangeLogLength} batches, or the server lost data); a fresh snapshot follows.");
            }

            var entries = (RedisResult[])parts[2]!;
            foreach (var batch in RedisReplies.Batches(entries, scope))
            {
                afterRevision = batch.Revision;
                yield return batch;
            }

            if (entries.Length < LogReadCount)
            {
                await WaitForChangeAsync(changed, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Waits for the expiry sweeper to stop and closes the connection; keep-alive keys and lock leases expire within their TTL.</summary>
    protected override async ValueTask CloseCoreAsync()
    {
        await _sweeper.ConfigureAwait(false);
        await _nativeWrites.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Waits for a change notification, at most <see cref="RedisKvStoreOptions.PollInterval"/>.</summary>
    internal async Task WaitForChangeAsync(Task changed, CancellationToken cancellationToken)
    {
        try
        {
            await changed.WaitAsync(_options.PollInterval, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The poll is the safety net for notifications lost in transit.
        }
    }

    /// <summary>Runs a write script with the shared keys and arguments in front of <paramref name="args"/>.</summary>
    internal Task<RedisResult> EvalAsync(string? key, string script, RedisValue[] args, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var all = new RedisValue[args.Length + 2];
        all[0] = _options.ChangeLogLength;
        all[1] = RedisLayout.Channel;
        args.CopyTo(all, 2);
        return _connection.RunWriteAsync(key, db => db.ScriptEvaluateAsync(script, WriteKeys, all), cancellationToken);
    }

    /// <summary>Puts a value, unconditionally (<paramref name="expectedIndex"/> null) or compare-and-swap; keeps it alive when asked.</summary>
    internal async Task<KvCasResult> WriteAsync(string key, ReadOnlyMemory<byte> value, ulong? expectedIndex, KvWriteOptions? options, CancellationToken cancellationToken)
    {
        key = KvKeys.Normalize(key);
        options ??= KvWriteOptions.Default;
        options.Validate();
        var expected = expectedIndex is { } index ? Text(index) : string.Empty;
        var reply = (RedisResult[])(await EvalAsync(key, RedisScripts.Put, [key, value, TtlArgument(options.Ttl), expected], cancellationToken).ConfigureAwait(false))!;
        var outcome = (KvCasOutcome)(int)reply[0];
        if (outcome != KvCasOutcome.Succeeded)
        {
            return KvCasResult.Failure(outcome);
        }

        var pair = new KvPair(key, value.ToArray(), RedisReplies.Revision(reply[1]));
        KeepAliveIfAsked(pair, options, (ttl, ct) => RenewAsync(pair.Key, pair.LastIndex, ttl, ct));

        return KvCasResult.Success(pair);
    }

    /// <summary>Extends the TTL of <paramref name="key"/> while it still has index <paramref name="index"/>.</summary>
    internal async Task<bool> RenewAsync(string key, ulong index, TimeSpan ttl, CancellationToken cancellationToken) =>
        (int)await EvalAsync(key, RedisScripts.Renew, [key, Text(index), TtlArgument(ttl)], cancellationToken).ConfigureAwait(false) == 1;

    internal static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    // Milliseconds, rounded up so a sub-millisecond TTL still expires rather than meaning "no expiry".
    private static long TtlArgument(TimeSpan? ttl) => ttl is { } t ? Math.Max(1, (long)Math.Ceiling(t.TotalMilliseconds)) : 0;

    private async Task<(IReadOnlyList<KvPair> Pairs, ulong Revision)> ReadKeyAsync(string key, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var reply = await _connection.RunAsync(
            key,
            db => db.ScriptEvaluateReadOnlyAsync(RedisScripts.Read, [RedisLayout.Revision, key]),
            cancellationToken).ConfigureAwait(false);
        return RedisReplies.Pairs(reply);
    }

    private async Task<(IReadOnlyList<KvPair> Pairs, ulong Revision)> ReadTreeAsync(string prefix, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var (min, max) = RedisLayout.DescendantRange(prefix);
        var reply = await _connection.RunAsync(
            prefix.Length == 0 ? null : prefix,
            db => db.ScriptEvaluateReadOnlyAsync(RedisScripts.List, [RedisLayout.Revision, RedisLayout.Keys], [min, max]),
            cancellationToken).ConfigureAwait(false);
        return RedisReplies.Pairs(reply);
    }

    // Redis drops an expired key by itself, but only a script can log the expiry for watchers; every client sweeps
    // (the script is idempotent), so expiries are reported while any client of the store runs.
    private async Task SweepExpiredAsync()
    {
        while (!IsDisposed)
        {
            try
            {
                await Task.Delay(_options.ExpirySweepInterval, Disposed).ConfigureAwait(false);
                if (_connection.IsConnected)
                {
                    await EvalAsync(null, RedisScripts.Sweep, [], Disposed).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (IsDisposed)
            {
                return;
            }
            catch (Exception e) when (e is KvException or ObjectDisposedException)
            {
                // The server is away or the store is closing; the next sweep (ours or another client's) catches up.
            }
        }
    }
}
