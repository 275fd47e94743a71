using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Valkeyrie.Backends;

namespace Valkeyrie.LiteDB;

/// <summary>
/// A store in an embedded LiteDB 5 file (<c>litedb:./config.db</c>), implementing the whole contract. Several stores
/// and several processes can use one file at once: each call opens the file under a cross-process lock, so a change
/// written by any of them is seen by all. See docs/backends/litedb.md for the layout and the concurrency model.
/// </summary>
public sealed class LiteDbKvStore : IKvStore, IKvChangeFeed
{
    /// <summary>The connection string scheme: <c>litedb:</c>.</summary>
    public const string Scheme = "litedb";

    /// <summary>The largest value accepted, in bytes. Every value is also kept in the change log, so the limit is modest.</summary>
    public const int MaxValueBytes = 1024 * 1024;

    /// <summary>The most checks and operations one transaction may hold.</summary>
    public const int MaxTransactionOperations = 1000;

    private readonly LiteDbFile _file;
    private readonly KvStoreLifetime _lifetime = new();

    /// <summary>Opens a store on the file named by <paramref name="options"/>; the file is created on the first call unless read-only.</summary>
    /// <param name="options">The options; copied, so later changes have no effect.</param>
    /// <exception cref="KvConfigurationException">The options are invalid.</exception>
    public LiteDbKvStore(LiteDbKvStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _file = LiteDbFile.Acquire(options);
    }

    /// <summary>Opens a store from a connection string such as <c>litedb:./config.db?readonly=true</c>.</summary>
    /// <param name="connectionString">The connection string.</param>
    /// <exception cref="KvConfigurationException">The connection string is invalid.</exception>
    public LiteDbKvStore(string connectionString)
        : this(LiteDbKvStoreOptions.Parse(connectionString))
    {
    }

    /// <summary>The database file's full path.</summary>
    public string FilePath => _file.FullPath;

    internal LiteDbFile File => _file;

    internal CancellationToken Disposed => _lifetime.Stopping;

    /// <inheritdoc />
    public Task<KvPair?> GetAsync(string key, KvReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        key = KvKeys.Normalize(key);
        return RunAsync(s => s.Find(key), key, cancellationToken);
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
        CheckValue(key, value);
        var pair = await RunAsync(
            s =>
            {
                LiteDbDiskSpace.Ensure(_file, key, value.Length);
                return s.Write(b => b.Put(key, value, options.Ttl), key);
            },
            key,
            cancellationToken).ConfigureAwait(false);
        KeepAliveIfAsked(pair, options);
        return pair;
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        key = KvKeys.Normalize(key);
        return RunAsync(s => s.Find(key) is not null && s.Write(b => b.Delete(key), key), key, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<KvPair>> ListAsync(string prefix, KvReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        prefix = KvKeys.NormalizePrefix(prefix);
        return RunAsync<IReadOnlyList<KvPair>>(s => s.Scan(KvScope.ForTree(prefix)), prefix, cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> DeleteTreeAsync(string prefix, CancellationToken cancellationToken = default)
    {
        prefix = KvKeys.NormalizePrefix(prefix);
        return RunAsync(
            s =>
            {
                var keys = s.Scan(KvScope.ForTree(prefix)).Select(p => p.Key).ToList();
                if (prefix.Length > 0 && s.Find(prefix) is not null)
                {
                    keys.Insert(0, prefix);
                }

                return keys.Count == 0 ? 0 : s.Write(b => keys.Count(b.Delete), prefix);
            },
            prefix,
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<KvCasResult> AtomicPutAsync(string key, ReadOnlyMemory<byte> value, ulong expectedIndex, KvWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        key = KvKeys.Normalize(key);
        options ??= KvWriteOptions.Default;
        options.Validate();
        CheckValue(key, value);
        var result = await RunAsync(
            s =>
            {
                var outcome = Compare(s.Find(key), expectedIndex);
                if (outcome != KvCasOutcome.Succeeded)
                {
                    return KvCasResult.Failure(outcome);
                }

                LiteDbDiskSpace.Ensure(_file, key, value.Length);
                return KvCasResult.Success(s.Write(b => b.Put(key, value, options.Ttl), key));
            },
            key,
            cancellationToken).ConfigureAwait(false);
        if (result.Pair is { } pair)
        {
            KeepAliveIfAsked(pair, options);
        }

        return result;
    }

    /// <inheritdoc />
    public Task<KvCasResult> AtomicDeleteAsync(string key, ulong expectedIndex, CancellationToken cancellationToken = default)
    {
        key = KvKeys.Normalize(key);
        ArgumentOutOfRangeException.ThrowIfZero(expectedIndex);
        return RunAsync(
            s =>
            {
                var outcome = Compare(s.Find(key), expectedIndex);
                if (outcome == KvCasOutcome.Succeeded)
                {
                    s.Write(b => b.Delete(key), key);
                }

                return new KvCasResult(outcome);
            },
            key,
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> CommitAsync(KvTransaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var operations = transaction.Operations.ToList();
        if (operations.Count > MaxTransactionOperations)
        {
            throw new KvLimitExceededException(
                LiteDbErrors.Backend, _file.Endpoint, null,
                $"the transaction has {operations.Count} operations, more than the {MaxTransactionOperations} allowed; nothing was written. Split it.");
        }

        var bytes = 0L;
        foreach (var operation in operations.Where(o => o.Kind == KvTransactionOperationKind.Put))
        {
            CheckValue(operation.Key, operation.Value);
            bytes += operation.Value.Length;
        }

        return RunAsync(
            s =>
            {
                foreach (var check in operations.Where(o => o.Kind == KvTransactionOperationKind.CheckIndex))
                {
                    if ((s.Find(check.Key)?.LastIndex ?? 0) != check.Index)
                    {
                        return false;
                    }
                }

                LiteDbDiskSpace.Ensure(_file, null, bytes);
                return s.Write(b =>
                {
                    foreach (var operation in operations)
                    {
                        if (operation.Kind == KvTransactionOperationKind.Put)
                        {
                            b.Put(operation.Key, operation.Value, operation.Options?.Ttl);
                        }
                        else if (operation.Kind == KvTransactionOperationKind.Delete)
                        {
                            b.Delete(operation.Key);
                        }
                    }

                    return true;
                });
            },
            null,
            cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<KvPair?> WatchAsync(string key, KvReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return KvWatchStreams.WatchKeyAsync(this, key, options, _lifetime.Stopping, cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<KvTreeChange> WatchTreeAsync(string prefix, KvReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return KvWatchStreams.WatchTreeAsync(this, prefix, options, _lifetime.Stopping, cancellationToken);
    }

    /// <inheritdoc />
    public IKvLock CreateLock(string key, KvLockOptions? options = null)
    {
        key = KvKeys.Normalize(key);
        options ??= KvLockOptions.Default;
        options.Validate();
        CheckValue(key, options.Value);
        return new LiteDbKvLock(this, key, options);
    }

    /// <inheritdoc />
    Task<KvScopeSnapshot> IKvChangeFeed.ReadScopeAsync(KvScope scope, KvReadOptions options, CancellationToken cancellationToken) =>
        RunAsync(s => new KvScopeSnapshot(s.Scan(scope), s.Revision), scope.Key, cancellationToken);

    /// <inheritdoc />
    async IAsyncEnumerable<KvTreeChange> IKvChangeFeed.ReadChangesAsync(
        KvScope scope, ulong afterRevision, KvReadOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            // Take the signal before reading, so a change committed during the read wakes the next wait.
            var changed = _file.Changed;
            var batches = await RunAsync(s => s.ReadChanges(scope, afterRevision), scope.Key, cancellationToken).ConfigureAwait(false);
            foreach (var batch in batches)
            {
                afterRevision = batch.Revision;
                yield return batch;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Closes the store: stops renewing keep-alive keys and lock leases without releasing them, as if the process
    /// died (they expire within their TTL), ends its watches, and closes the file when no other store of this process uses it.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (!await _lifetime.StopAsync().ConfigureAwait(false))
        {
            return;
        }

        await _file.ReleaseAsync().ConfigureAwait(false);
    }

    internal void TrackUntilDisposed(object owner, Func<Task> abandon) => _lifetime.Track(owner, abandon);

    internal void Untrack(object owner) => _lifetime.Untrack(owner);

    internal void ThrowIfDisposed() => _lifetime.ThrowIfStopped(this);

    internal Task<T> RunAsync<T>(Func<LiteDbSession, T> work, string? key, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _file.RunAsync(work, key, cancellationToken);
    }

    private static KvCasOutcome Compare(KvPair? current, ulong expectedIndex) => (current, expectedIndex) switch
    {
        (null, 0) => KvCasOutcome.Succeeded,
        (null, _) => KvCasOutcome.KeyNotFound,
        (_, 0) => KvCasOutcome.KeyExists,
        _ when current.LastIndex != expectedIndex => KvCasOutcome.KeyModified,
        _ => KvCasOutcome.Succeeded,
    };

    private void CheckValue(string key, ReadOnlyMemory<byte> value)
    {
        if (value.Length > MaxValueBytes)
        {
            throw new KvLimitExceededException(
                LiteDbErrors.Backend, _file.Endpoint, key,
                $"the value has {value.Length} bytes, more than the {MaxValueBytes} this backend accepts; nothing was written.");
        }
    }

    private void KeepAliveIfAsked(KvPair pair, KvWriteOptions options)
    {
        if (!options.KeepAlive || options.Ttl is not { } ttl)
        {
            return;
        }

        KvLeaseKeeper? keeper = null;
        keeper = new KvLeaseKeeper(
            ttl,
            async ct =>
            {
                var renewed = await RunAsync(s => s.Renew(pair.Key, pair.LastIndex, ttl), pair.Key, ct).ConfigureAwait(false);
                if (!renewed)
                {
                    Untrack(keeper!); // overwritten or deleted: nothing left to keep alive
                }

                return renewed;
            });
        TrackUntilDisposed(keeper, async () => await keeper.DisposeAsync().ConfigureAwait(false));
        keeper.Start();
    }
}
