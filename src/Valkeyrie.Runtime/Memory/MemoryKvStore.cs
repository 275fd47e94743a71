using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Valkeyrie.Backends;

namespace Valkeyrie;

/// <summary>
/// A thread-safe in-process store implementing the whole contract: the reference implementation the conformance
/// suite is proven on, and a store for tests. <c>memory://</c> creates a private store; <c>memory://name</c>
/// connects to a store shared by every client of that name in the process. It has no limits unless asked:
/// <c>memory://?limits=consul</c> (any backend's name) applies that backend's <see cref="KvStoreLimits"/>, and
/// <c>?limits=portable</c> the smallest of all, so code tested on it is not rejected in production.
/// </summary>
public sealed class MemoryKvStore : KvStoreBase, IKvChangeFeed
{
    private static readonly ConcurrentDictionary<string, MemoryKvState> Named = new(StringComparer.Ordinal);

    private readonly MemoryKvState _state;

    /// <summary>Creates a private, empty store.</summary>
    /// <param name="timeProvider">The clock used for TTLs and leases; the system clock by default.</param>
    public MemoryKvStore(TimeProvider? timeProvider = null)
        : this(KvStoreLimits.Unlimited, timeProvider)
    {
    }

    /// <summary>Creates a private, empty store that applies <paramref name="limits"/> (TTLs included: shorter ones are rounded up).</summary>
    /// <param name="limits">The limits to emulate, for example <see cref="KvStoreLimits.Portable"/>.</param>
    /// <param name="timeProvider">The clock used for TTLs and leases; the system clock by default.</param>
    public MemoryKvStore(KvStoreLimits limits, TimeProvider? timeProvider = null)
        : this(new MemoryKvState(timeProvider ?? TimeProvider.System), limits)
    {
    }

    private MemoryKvStore(MemoryKvState state, KvStoreLimits limits)
        : base(limits, state.Time) => _state = state;

    /// <summary>Connects a new client to the process-wide store called <paramref name="name"/>, creating it if needed.</summary>
    /// <param name="name">The shared store's name.</param>
    public static MemoryKvStore Shared(string name) => Shared(name, KvStoreLimits.Unlimited);

    /// <summary>Connects a new client, applying <paramref name="limits"/>, to the process-wide store called <paramref name="name"/>.</summary>
    /// <param name="name">The shared store's name.</param>
    /// <param name="limits">The limits this client applies.</param>
    public static MemoryKvStore Shared(string name, KvStoreLimits limits)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new MemoryKvStore(Named.GetOrAdd(name, _ => new MemoryKvState(TimeProvider.System)), limits);
    }

    internal static IKvStore Create(KvConnectionString connectionString)
    {
        var limits = connectionString.Get("limits") is { } named ? KvStoreLimits.Named(named) : KvStoreLimits.Unlimited;
        return connectionString.Endpoints.Count == 0 ? new MemoryKvStore(limits) : Shared(connectionString.Endpoints[0].Host, limits);
    }

    /// <inheritdoc />
    protected override IKvChangeFeed ChangeFeed => this;

    /// <inheritdoc />
    protected override string Backend => "memory";

    /// <inheritdoc />
    protected override Task<KvPair?> GetCoreAsync(string key, KvReadOptions options, CancellationToken cancellationToken)
    {
        lock (_state.Gate)
        {
            return Task.FromResult(_state.Find(key)?.Pair);
        }
    }

    /// <inheritdoc />
    protected override Task<KvPair> PutCoreAsync(string key, ReadOnlyMemory<byte> value, KvWriteOptions options, CancellationToken cancellationToken)
    {
        KvPair pair;
        lock (_state.Gate)
        {
            var batch = _state.Begin();
            pair = batch.Put(key, value, Limits.Floor(options.Ttl));
            batch.Publish();
        }

        KeepAliveIfAsked(pair, options);
        return Task.FromResult(pair);
    }

    /// <inheritdoc />
    protected override Task<bool> DeleteCoreAsync(string key, CancellationToken cancellationToken)
    {
        lock (_state.Gate)
        {
            var batch = _state.Begin();
            var deleted = batch.Delete(key);
            batch.Publish();
            return Task.FromResult(deleted);
        }
    }

    /// <inheritdoc />
    protected override Task<IReadOnlyList<KvPair>> ListCoreAsync(string prefix, KvReadOptions options, CancellationToken cancellationToken)
    {
        lock (_state.Gate)
        {
            IReadOnlyList<KvPair> pairs = [.. _state.Scan(KvScope.ForTree(prefix)).Select(e => e.Pair)];
            return Task.FromResult(pairs);
        }
    }

    /// <inheritdoc />
    protected override Task<int> DeleteTreeCoreAsync(string prefix, CancellationToken cancellationToken)
    {
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
    protected override Task<KvCasResult> AtomicPutCoreAsync(string key, ReadOnlyMemory<byte> value, ulong expectedIndex, KvWriteOptions options, CancellationToken cancellationToken)
    {
        KvPair pair;
        lock (_state.Gate)
        {
            var current = _state.Find(key)?.Pair;
            var outcome = CompareIndex(current, expectedIndex);
            if (outcome != KvCasOutcome.Succeeded)
            {
                return Task.FromResult(KvCasResult.Failure(outcome));
            }

            var batch = _state.Begin();
            pair = batch.Put(key, value, Limits.Floor(options.Ttl));
            batch.Publish();
        }

        KeepAliveIfAsked(pair, options);
        return Task.FromResult(KvCasResult.Success(pair));
    }

    /// <inheritdoc />
    protected override Task<KvCasResult> AtomicDeleteCoreAsync(string key, ulong expectedIndex, CancellationToken cancellationToken)
    {
        lock (_state.Gate)
        {
            var outcome = CompareIndex(_state.Find(key)?.Pair, expectedIndex);
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
    protected override Task<bool> CommitCoreAsync(KvTransaction transaction, CancellationToken cancellationToken)
    {
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
                        batch.Put(operation.Key, operation.Value, Limits.Floor(operation.Options?.Ttl));
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
    protected override IKvLock CreateLockCore(string key, KvLockOptions options) => new MemoryKvLock(this, key, options);

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

    internal MemoryKvState State => _state;

    private void KeepAliveIfAsked(KvPair pair, KvWriteOptions options) =>
        KeepAliveIfAsked(pair, options, (ttl, _) =>
        {
            lock (_state.Gate)
            {
                return Task.FromResult(_state.Renew(pair.Key, pair.LastIndex, Limits.Floor(ttl)!.Value));
            }
        });
}
