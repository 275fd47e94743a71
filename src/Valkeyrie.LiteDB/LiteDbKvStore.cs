using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Valkeyrie.Backends;

namespace Valkeyrie.LiteDB;

/// <summary>
/// A store in an embedded LiteDB 5 file (<c>litedb:./config.db</c>), implementing the whole contract. Several stores
/// and several processes can use one file at once: each call opens the file under a cross-process lock, so a change
/// written by any of them is seen by all. See docs/backends/litedb.md for the layout and the concurrency model.
/// </summary>
public sealed class LiteDbKvStore : KvStoreBase, IKvChangeFeed
{
    /// <summary>The connection string scheme: <c>litedb:</c>.</summary>
    public const string Scheme = "litedb";

    private readonly LiteDbFile _file;

    /// <summary>Opens a store on the file named by <paramref name="options"/>; the file is created on the first call unless read-only.</summary>
    /// <param name="options">The options; copied, so later changes have no effect.</param>
    /// <exception cref="KvConfigurationException">The options are invalid.</exception>
    public LiteDbKvStore(LiteDbKvStoreOptions options)
        : base(KvStoreLimits.LiteDB)
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

    /// <inheritdoc />
    protected override string? EndpointName => _file.Endpoint;

    /// <inheritdoc />
    protected override IKvChangeFeed ChangeFeed => this;

    /// <inheritdoc />
    protected override Task<KvPair?> GetCoreAsync(string key, KvReadOptions options, CancellationToken cancellationToken)
    {
        return RunAsync(s => s.Find(key), key, cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task<KvPair> PutCoreAsync(string key, ReadOnlyMemory<byte> value, KvWriteOptions options, CancellationToken cancellationToken)
    {
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
    protected override Task<bool> DeleteCoreAsync(string key, CancellationToken cancellationToken)
    {
        return RunAsync(s => s.Find(key) is not null && s.Write(b => b.Delete(key), key), key, cancellationToken);
    }

    /// <inheritdoc />
    protected override Task<IReadOnlyList<KvPair>> ListCoreAsync(string prefix, KvReadOptions options, CancellationToken cancellationToken)
    {
        return RunAsync<IReadOnlyList<KvPair>>(s => s.Scan(KvScope.ForTree(prefix)), prefix, cancellationToken);
    }

    /// <inheritdoc />
    protected override Task<int> DeleteTreeCoreAsync(string prefix, CancellationToken cancellationToken)
    {
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
    protected override async Task<KvCasResult> AtomicPutCoreAsync(string key, ReadOnlyMemory<byte> value, ulong expectedIndex, KvWriteOptions options, CancellationToken cancellationToken)
    {
        var result = await RunAsync(
            s =>
            {
                var outcome = CompareIndex(s.Find(key), expectedIndex);
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
    protected override Task<KvCasResult> AtomicDeleteCoreAsync(string key, ulong expectedIndex, CancellationToken cancellationToken)
    {
        return RunAsync(
            s =>
            {
                var outcome = CompareIndex(s.Find(key), expectedIndex);
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
    protected override Task<bool> CommitCoreAsync(KvTransaction transaction, CancellationToken cancellationToken)
    {
        var operations = transaction.Operations.ToList();
        var bytes = operations.Where(o => o.Kind == KvTransactionOperationKind.Put).Sum(o => (long)o.Value.Length);

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
    protected override IKvLock CreateLockCore(string key, KvLockOptions options) => new LiteDbKvLock(this, key, options);

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

    /// <summary>Closes the file when no other store of this process uses it.</summary>
    protected override async ValueTask CloseCoreAsync() => await _file.ReleaseAsync().ConfigureAwait(false);

    internal Task<T> RunAsync<T>(Func<LiteDbSession, T> work, string? key, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _file.RunAsync(work, key, cancellationToken);
    }

    private void KeepAliveIfAsked(KvPair pair, KvWriteOptions options) =>
        KeepAliveIfAsked(pair, options, (ttl, ct) => RunAsync(s => s.Renew(pair.Key, pair.LastIndex, ttl), pair.Key, ct));
}
