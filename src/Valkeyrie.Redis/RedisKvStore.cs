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
public sealed class RedisKvStore : IKvStore, IKvChangeFeed
{
    /// <summary>The most checks and writes one transaction may hold.</summary>
    public const int MaxTransactionOperations = 1_000;

    private const int LogReadCount = 256;

    private static readonly RedisKey[] WriteKeys = [RedisLayout.Revision, RedisLayout.Keys, RedisLayout.Expiries, RedisLayout.Log];

    private readonly RedisKvStoreOptions _options;
    private readonly RedisConnection _connection;
    private readonly KvStoreLifetime _lifetime = new();
    private readonly Task _sweeper;

    /// <summary>Creates a store; it connects on first use and reconnects by itself.</summary>
    /// <param name="options">The settings.</param>
    /// <exception cref="KvConfigurationException">The options are invalid.</exception>
    public RedisKvStore(RedisKvStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _connection = new RedisConnection(options, _lifetime.Stopping);
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

    internal CancellationToken Disposed => _lifetime.Stopping;

    /// <inheritdoc />
    public async Task<KvPair?> GetAsync(string key, KvReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        key = KvKeys.Normalize(key);
        var (pairs, _) = await ReadKeyAsync(key, cancellationToken).ConfigureAwait(false);
        return pairs.Count > 0 ? pairs[0] : null;
    }

    /// <inheritdoc />
    public Task<bool> ExistsAsync(string key, KvReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        key = KvKeys.Normalize(key);
        ThrowIfDisposed();
        return _connection.RunAsync(key, db => db.KeyExistsAsync(key), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<KvPair> PutAsync(string key, ReadOnlyMemory<byte> value, KvWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = await WriteAsync(key, value, expectedIndex: null, options, cancellationToken).ConfigureAwait(false);
        return result.Pair!;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        key = KvKeys.Normalize(key);
        var outcome = await EvalAsync(key, RedisScripts.Delete, [key, string.Empty], cancellationToken).ConfigureAwait(false);
        return (int)outcome == (int)KvCasOutcome.Succeeded;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<KvPair>> ListAsync(string prefix, KvReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        prefix = KvKeys.NormalizePrefix(prefix);
        var (pairs, _) = await ReadTreeAsync(prefix, cancellationToken).ConfigureAwait(false);
        return pairs;
    }

    /// <inheritdoc />
    public async Task<int> DeleteTreeAsync(string prefix, CancellationToken cancellationToken = default)
    {
        prefix = KvKeys.NormalizePrefix(prefix);
        var (min, max) = RedisLayout.DescendantRange(prefix);
        var count = await EvalAsync(prefix, RedisScripts.DeleteTree, [prefix, min, max], cancellationToken).ConfigureAwait(false);
        return (int)count;
    }

    /// <inheritdoc />
    public Task<KvCasResult> AtomicPutAsync(string key, ReadOnlyMemory<byte> value, ulong expectedIndex, KvWriteOptions? options = null, CancellationToken cancellationToken = default) =>
        WriteAsync(key, value, expectedIndex, options, cancellationToken);

    /// <inheritdoc />
    public async Task<KvCasResult> AtomicDeleteAsync(string key, ulong expectedIndex, CancellationToken cancellationToken = default)
    {
        key = KvKeys.Normalize(key);
        ArgumentOutOfRangeException.ThrowIfZero(expectedIndex);
        var outcome = await EvalAsync(key, RedisScripts.Delete, [key, Text(expectedIndex)], cancellationToken).ConfigureAwait(false);
        return new KvCasResult((KvCasOutcome)(int)outcome);
    }

    /// <inheritdoc />
    public async Task<bool> CommitAsync(KvTransaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var operations = transaction.Operations;
        if (operations.Count > MaxTransactionOperations)
        {
            throw new KvLimitExceededException(
                RedisErrors.Backend,
                _connection.Endpoint,
                null,
                $"a transaction holds at most {MaxTransactionOperations} operations (this one has {operations.Count}); nothing was written. Split it into smaller transactions.");
        }

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
    public IAsyncEnumerable<KvPair?> WatchAsync(string key, KvReadOptions? options = null, CancellationToken cancellationToken = default) =>
        KvWatchStreams.WatchKeyAsync(this, key, options, _lifetime.Stopping, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<KvTreeChange> WatchTreeAsync(string prefix, KvReadOptions? options = null, CancellationToken cancellationToken = default) =>
        KvWatchStreams.WatchTreeAsync(this, prefix, options, _lifetime.Stopping, cancellationToken);

    /// <inheritdoc />
    public IKvLock CreateLock(string key, KvLockOptions? options = null)
    {
        key = KvKeys.Normalize(key);
        options ??= KvLockOptions.Default;
        options.Validate();
        return new RedisKvLock(this, key, options);
    }

    /// <inheritdoc />
    async Task<KvScopeSnapshot> IKvChangeFeed.ReadScopeAsync(KvScope scope, KvReadOptions options, CancellationToken cancellationToken)
    {
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

    /// <summary>Stops renewing keep-alive keys and lock leases, as if the process died: they expire within their TTL.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!await _lifetime.StopAsync().ConfigureAwait(false))
        {
            return;
        }

        await _sweeper.ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    internal void TrackUntilDisposed(object owner, Func<Task> abandon) => _lifetime.Track(owner, abandon);

    internal void Untrack(object owner) => _lifetime.Untrack(owner);

    internal void ThrowIfDisposed() => _lifetime.ThrowIfStopped(this);

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
        if (options.KeepAlive && options.Ttl is { } ttl)
        {
            KeepAlive(pair, ttl);
        }

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

    private void KeepAlive(KvPair pair, TimeSpan ttl)
    {
        KvLeaseKeeper? keeper = null;
        keeper = new KvLeaseKeeper(
            ttl,
            async token =>
            {
                var renewed = await RenewAsync(pair.Key, pair.LastIndex, ttl, token).ConfigureAwait(false);
                if (!renewed)
                {
                    Untrack(keeper!); // overwritten or deleted: nothing left to keep alive
                }

                return renewed;
            });
        TrackUntilDisposed(keeper, async () => await keeper.DisposeAsync().ConfigureAwait(false));
        keeper.Start();
    }

    // Redis drops an expired key by itself, but only a script can log the expiry for watchers; every client sweeps
    // (the script is idempotent), so expiries are reported while any client of the store runs.
    private async Task SweepExpiredAsync()
    {
        while (!_lifetime.IsStopped)
        {
            try
            {
                await Task.Delay(_options.ExpirySweepInterval, _lifetime.Stopping).ConfigureAwait(false);
                if (_connection.IsConnected)
                {
                    await EvalAsync(null, RedisScripts.Sweep, [], _lifetime.Stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (_lifetime.IsStopped)
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
