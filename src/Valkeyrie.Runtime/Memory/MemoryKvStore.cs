using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Valkeyrie.Backends;

namespace Valkeyrie;

/// <summary>
/// A thread-safe in-process store implementing the whole contract: the reference implementation the conformance
/// suite is proven on, and a store for tests. <c>memory://</c> creates a private store; <c>memory://name</c>
/// connects to a store shared by every client of that name in the process.
/// </summary>
public sealed class MemoryKvStore : IKvStore, IKvChangeFeed
{
    private static readonly ConcurrentDictionary<string, MemoryKvState> Named = new(StringComparer.Ordinal);

    private readonly MemoryKvState _state;
    private readonly KvStoreLifetime _lifetime = new();

    /// <summary>Creates a private, empty store.</summary>
    /// <param name="timeProvider">The clock used for TTLs and leases; the system clock by default.</param>
    public MemoryKvStore(TimeProvider? timeProvider = null)
        : this(new MemoryKvState(timeProvider ?? TimeProvider.System))
    {
    }

    private MemoryKvStore(MemoryKvState state) => _state = state;

    /// <summary>Connects a new client to the process-wide store called <paramref name="name"/>, creating it if needed.</summary>
    /// <param name="name">The shared store's name.</param>
    public static MemoryKvStore Shared(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new MemoryKvStore(Named.GetOrAdd(name, _ => new MemoryKvState(TimeProvider.System)));
    }

    internal static IKvStore Create(KvConnectionString connectionString) =>
        connectionString.Endpoints.Count == 0 ? new MemoryKvStore() : Shared(connectionString.Endpoints[0].Host);

    internal CancellationToken Disposed => _lifetime.Stopping;

    /// <inheritdoc />
    public Task<KvPair?> GetAsync(string key, KvReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        key = KvKeys.Normalize(key);
        ThrowIfDisposed();
        lock (_state.Gate)
        {
            return Task.FromResult(_state.Find(key)?.Pair);
        }
    }

    /// <inheritdoc />
    public async Task<bool> ExistsAsync(string key, KvReadOptions? options = null, CancellationToken cancellationToken = default) =>
        await GetAsync(key, options, cancellationToken).ConfigureAwait(false) is not null;

    /// <inheritdoc />
    public Task<KvPair> PutAsync(string key, ReadOnlyMemory<byte> value, KvWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        key = KvKeys.Normalize(key);
        options ??= KvWriteOptions.Default;
        options.Validate();
        ThrowIfDisposed();
        KvPair pair;
        lock (_state.Gate)
        {
            var batch = _state.Begin();
            pair = batch.Put(key, value, options.Ttl);
            batch.Publish();
        }

        KeepAliveIfAsked(pair, options);
        return Task.FromResult(pair);
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        key = KvKeys.Normalize(key);
        ThrowIfDisposed();
        lock (_state.Gate)
        {
            var batch = _state.Begin();
            var deleted = batch.Delete(key);
            batch.Publish();
            return Task.FromResult(deleted);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<KvPair>> ListAsync(string prefix, KvReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        prefix = KvKeys.NormalizePrefix(prefix);
        ThrowIfDisposed();
        lock (_state.Gate)
        {
            IReadOnlyList<KvPair> pairs = [.. _state.Scan(KvScope.ForTree(prefix)).Select(e => e.Pair)];
            return Task.FromResult(pairs);
        }
    }

    /// <inheritdoc />
    public Task<int> DeleteTreeAsync(string prefix, CancellationToken cancellationToken = default)
    {
        prefix = KvKeys.NormalizePrefix(prefix);
        ThrowIfDisposed();
        lock (_state.Gate)
        {
            var keys = _state.Scan(KvScope.ForTree(prefix)).Select(e => e.Pair.Key).ToList();
            if (prefix.Length > 0 && _state.Find(prefix) is not null)
            {
                keys.Insert(0, prefix);
            }

            var batch = _state.Begin();
            foreach (var key in keys)
            {
                batch.Delete(key);
            }

            batch.Publish();
            return Task.FromResult(keys.Count);
        }
    }

    /// <inheritdoc />
    public Task<KvCasResult> AtomicPutAsync(string key, ReadOnlyMemory<byte> value, ulong expectedIndex, KvWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        key = KvKeys.Normalize(key);
        options ??= KvWriteOptions.Default;
        options.Validate();
        ThrowIfDisposed();
        KvPair pair;
        lock (_state.Gate)
        {
            var current = _state.Find(key)?.Pair;
            var outcome = Compare(current, expectedIndex);
            if (outcome != KvCasOutcome.Succeeded)
            {
                return Task.FromResult(KvCasResult.Failure(outcome));
            }

            var batch = _state.Begin();
            pair = batch.Put(key, value, options.Ttl);
            batch.Publish();
        }

        KeepAliveIfAsked(pair, options);
        return Task.FromResult(KvCasResult.Success(pair));
    }

    /// <inheritdoc />
    public Task<KvCasResult> AtomicDeleteAsync(string key, ulong expectedIndex, CancellationToken cancellationToken = default)
    {
        key = KvKeys.Normalize(key);
        ArgumentOutOfRangeException.ThrowIfZero(expectedIndex);
        ThrowIfDisposed();
        lock (_state.Gate)
        {
            var outcome = Compare(_state.Find(key)?.Pair, expectedIndex);
            if (outcome == KvCasOutcome.Succeeded)
            {
                var batch = _state.Begin();
                batch.Delete(key);
                batch.Publish();
            }

            return Task.FromResult(new KvCasResult(outcome));
        }
    }

    /// <inheritdoc />
    public Task<bool> CommitAsync(KvTransaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ThrowIfDisposed();
        lock (_state.Gate)
        {
            foreach (var check in transaction.Operations.Where(o => o.Kind == KvTransactionOperationKind.CheckIndex))
            {
                if ((_state.Find(check.Key)?.Pair.LastIndex ?? 0) != check.Index)
                {
                    return Task.FromResult(false);
                }
            }

            var batch = _state.Begin();
            foreach (var operation in transaction.Operations)
            {
                switch (operation.Kind)
                {
                    case KvTransactionOperationKind.Put:
                        batch.Put(operation.Key, operation.Value, operation.Options?.Ttl);
                        break;
                    case KvTransactionOperationKind.Delete:
                        batch.Delete(operation.Key);
                        break;
                }
            }

            batch.Publish();
            return Task.FromResult(true);
        }
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
        return new MemoryKvLock(this, key, options);
    }

    /// <inheritdoc />
    Task<KvScopeSnapshot> IKvChangeFeed.ReadScopeAsync(KvScope scope, KvReadOptions options, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        lock (_state.Gate)
        {
            return Task.FromResult(new KvScopeSnapshot([.. _state.Scan(scope).Select(e => e.Pair)], _state.Revision));
        }
    }

    /// <inheritdoc />
    async IAsyncEnumerable<KvTreeChange> IKvChangeFeed.ReadChangesAsync(
        KvScope scope, ulong afterRevision, KvReadOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            List<KvTreeChange> pending = [];
            Task changed;
            lock (_state.Gate)
            {
                if (afterRevision < _state.TrimmedThrough)
                {
                    throw new KvHistoryLostException($"memory store: changes after revision {afterRevision} were trimmed from the log.");
                }

                foreach (var batch in _state.Log)
                {
                    if (batch.Revision > afterRevision)
                    {
                        pending.Add(KvTreeChange.FromEvents([.. batch.Events.Where(e => scope.Contains(e.Key))], batch.Revision));
                    }
                }

                changed = _state.Changed;
            }

            foreach (var batch in pending)
            {
                afterRevision = batch.Revision;
                yield return batch;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops renewing keep-alive keys and lock leases, as if the process died: they expire within their TTL.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!await _lifetime.StopAsync().ConfigureAwait(false))
        {
            return;
        }

    }

    internal MemoryKvState State => _state;

    internal void TrackUntilDisposed(object owner, Func<Task> abandon) => _lifetime.Track(owner, abandon);

    internal void Untrack(object owner) => _lifetime.Untrack(owner);

    internal void ThrowIfDisposed() => _lifetime.ThrowIfStopped(this);

    private static KvCasOutcome Compare(KvPair? current, ulong expectedIndex) => (current, expectedIndex) switch
    {
        (null, 0) => KvCasOutcome.Succeeded,
        (null, _) => KvCasOutcome.KeyNotFound,
        (_, 0) => KvCasOutcome.KeyExists,
        _ when current.LastIndex != expectedIndex => KvCasOutcome.KeyModified,
        _ => KvCasOutcome.Succeeded,
    };

    private void KeepAliveIfAsked(KvPair pair, KvWriteOptions options)
    {
        if (!options.KeepAlive || options.Ttl is not { } ttl)
        {
            return;
        }

        KvLeaseKeeper? keeper = null;
        keeper = new KvLeaseKeeper(
            ttl,
            _ =>
            {
                lock (_state.Gate)
                {
                    var renewed = _state.Renew(pair.Key, pair.LastIndex, ttl);
                    if (!renewed)
                    {
                        Untrack(keeper!); // overwritten or deleted: nothing left to keep alive
                    }

                    return Task.FromResult(renewed);
                }
            },
            _state.Time);
        TrackUntilDisposed(keeper, async () => await keeper.DisposeAsync().ConfigureAwait(false));
        keeper.Start();
    }
}
