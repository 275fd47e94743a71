using System.ComponentModel;

namespace Valkeyrie.Backends;

/// <summary>
/// The base of every store. Its public members are not virtual: each validates its arguments, normalises keys and
/// prefixes (<see cref="KvKeys"/>), fills in default options, throws <see cref="ObjectDisposedException"/> once the store
/// is disposed, and only then calls the backend's <c>…CoreAsync</c> member with canonical, validated arguments, inside
/// one activity of the <c>Valkeyrie</c> activity source per call (tagged with backend and operation, never values). Watches
/// run on the shared engine (<see cref="KvWatchStreams"/>) over the backend's <see cref="ChangeFeed"/>. A backend
/// derives from it and implements only what is specific to it; see docs/store-contract.md.
/// </summary>
public abstract class KvStoreBase : IKvStore
{
    private readonly KvStoreLifetime _lifetime = new();

    /// <summary>Creates the shared state of a store.</summary>
    /// <param name="limits">What the backend stores at most; enforced before any call reaches the backend.</param>
    /// <param name="timeProvider">The clock for keep-alive renewals; the system clock by default.</param>
    protected KvStoreBase(KvStoreLimits limits, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(limits);
        Limits = limits;
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>What this store stores at most: larger values and transactions throw <see cref="KvLimitExceededException"/> and write nothing.</summary>
    public KvStoreLimits Limits { get; }

    /// <summary>Cancelled when the store is disposed: ends its watches, waits and background loops.</summary>
    /// <remarks>For the backend's own locks and keep-alive keys; applications have no use for it.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public CancellationToken Disposed => _lifetime.Stopping;

    /// <summary>The backend's name in activities (<c>valkeyrie.backend</c>); the name of its <see cref="Limits"/> by default.</summary>
    protected virtual string Backend => Limits.Backend;

    /// <summary>The endpoint named in limit errors; null when the backend has none to name.</summary>
    protected virtual string? EndpointName => null;

    /// <summary>The clock for keep-alive renewals.</summary>
    protected TimeProvider TimeProvider { get; }

    /// <summary>Whether the store has been disposed.</summary>
    protected bool IsDisposed => _lifetime.IsStopped;

    /// <summary>The backend's change feed that <see cref="WatchAsync"/> and <see cref="WatchTreeAsync"/> run on.</summary>
    protected abstract IKvChangeFeed ChangeFeed { get; }

    /// <inheritdoc />
    public Task<KvPair?> GetAsync(string key, KvReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        key = KvKeys.Normalize(key);
        ThrowIfDisposed();
        return Trace("get", () => GetCoreAsync(key, options ?? KvReadOptions.Default, cancellationToken));
    }

    /// <inheritdoc />
    public Task<bool> ExistsAsync(string key, KvReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        key = KvKeys.Normalize(key);
        ThrowIfDisposed();
        return Trace("exists", () => ExistsCoreAsync(key, options ?? KvReadOptions.Default, cancellationToken));
    }

    /// <inheritdoc />
    public Task<KvPair> PutAsync(string key, ReadOnlyMemory<byte> value, KvWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        key = KvKeys.Normalize(key);
        options = Validated(options);
        ThrowIfDisposed();
        Limits.CheckValue(value, key, EndpointName);
        return Trace("put", () => PutCoreAsync(key, value, options, cancellationToken));
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        key = KvKeys.Normalize(key);
        ThrowIfDisposed();
        return Trace("delete", () => DeleteCoreAsync(key, cancellationToken));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<KvPair>> ListAsync(string prefix, KvReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        prefix = KvKeys.NormalizePrefix(prefix);
        ThrowIfDisposed();
        return Trace("list", () => ListCoreAsync(prefix, options ?? KvReadOptions.Default, cancellationToken));
    }

    /// <inheritdoc />
    public Task<int> DeleteTreeAsync(string prefix, CancellationToken cancellationToken = default)
    {
        prefix = KvKeys.NormalizePrefix(prefix);
        ThrowIfDisposed();
        return Trace("delete_tree", () => DeleteTreeCoreAsync(prefix, cancellationToken));
    }

    /// <inheritdoc />
    public Task<KvCasResult> AtomicPutAsync(string key, ReadOnlyMemory<byte> value, ulong expectedIndex, KvWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        key = KvKeys.Normalize(key);
        options = Validated(options);
        ThrowIfDisposed();
        Limits.CheckValue(value, key, EndpointName);
        return Trace("atomic_put", () => AtomicPutCoreAsync(key, value, expectedIndex, options, cancellationToken));
    }

    /// <inheritdoc />
    public Task<KvCasResult> AtomicDeleteAsync(string key, ulong expectedIndex, CancellationToken cancellationToken = default)
    {
        key = KvKeys.Normalize(key);
        ArgumentOutOfRangeException.ThrowIfZero(expectedIndex);
        ThrowIfDisposed();
        return Trace("atomic_delete", () => AtomicDeleteCoreAsync(key, expectedIndex, cancellationToken));
    }

    /// <inheritdoc />
    public Task<bool> CommitAsync(KvTransaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ThrowIfDisposed();
        Limits.CheckTransaction(transaction, EndpointName);
        return Trace("commit", () => CommitCoreAsync(transaction, cancellationToken));
    }

    /// <inheritdoc />
    public IAsyncEnumerable<KvPair?> WatchAsync(string key, KvReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        key = KvKeys.Normalize(key);
        ThrowIfDisposed();
        return KvWatchStreams.WatchKeyAsync(ChangeFeed, key, options, Disposed, cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<KvTreeChange> WatchTreeAsync(string prefix, KvReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        prefix = KvKeys.NormalizePrefix(prefix);
        ThrowIfDisposed();
        return KvWatchStreams.WatchTreeAsync(ChangeFeed, prefix, options, Disposed, cancellationToken);
    }

    /// <inheritdoc />
    public IKvLock CreateLock(string key, KvLockOptions? options = null)
    {
        key = KvKeys.Normalize(key);
        options ??= KvLockOptions.Default;
        options.Validate();
        ThrowIfDisposed();
        Limits.CheckValue(options.Value, key, EndpointName);
        return CreateLockCore(key, options);
    }

    /// <summary>
    /// Disposes the store once: stops renewing keep-alive keys and lock leases without releasing them, as if the process
    /// died (they expire within their TTL), ends every watch, then lets the backend close its client.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (await _lifetime.StopAsync().ConfigureAwait(false))
        {
            await CloseCoreAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Throws <see cref="ObjectDisposedException"/> once the store is disposed.</summary>
    /// <remarks>For the backend's own locks and feeds; applications have no use for it.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void ThrowIfDisposed() => _lifetime.ThrowIfStopped(this);

    /// <summary>Registers a lease or keep-alive renewal to abandon (stop without releasing) when the store is disposed.</summary>
    /// <param name="owner">The lease or keeper, used to untrack it.</param>
    /// <param name="abandon">Stops its renewal without releasing.</param>
    /// <remarks>For the backend's own locks and keep-alive keys; applications have no use for it.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void TrackUntilDisposed(object owner, Func<Task> abandon) => _lifetime.Track(owner, abandon);

    /// <summary>Forgets an owner given to <see cref="TrackUntilDisposed"/> (released, or nothing left to renew).</summary>
    /// <param name="owner">The owner.</param>
    /// <remarks>For the backend's own locks and keep-alive keys; applications have no use for it.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Untrack(object owner) => _lifetime.Untrack(owner);

    /// <summary>Reads one key; <paramref name="key"/> is canonical.</summary>
    /// <param name="key">The canonical key.</param>
    /// <param name="options">The read options (never null).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    protected abstract Task<KvPair?> GetCoreAsync(string key, KvReadOptions options, CancellationToken cancellationToken);

    /// <summary>Tells whether a key exists: a read that is not null, unless the backend has a cheaper way.</summary>
    /// <param name="key">The canonical key.</param>
    /// <param name="options">The read options (never null).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    protected virtual async Task<bool> ExistsCoreAsync(string key, KvReadOptions options, CancellationToken cancellationToken) =>
        await GetCoreAsync(key, options, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>Writes a key unconditionally and keeps it alive when asked.</summary>
    /// <param name="key">The canonical key.</param>
    /// <param name="value">The value.</param>
    /// <param name="options">The validated write options (never null).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    protected abstract Task<KvPair> PutCoreAsync(string key, ReadOnlyMemory<byte> value, KvWriteOptions options, CancellationToken cancellationToken);

    /// <summary>Deletes one key.</summary>
    /// <param name="key">The canonical key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    protected abstract Task<bool> DeleteCoreAsync(string key, CancellationToken cancellationToken);

    /// <summary>Lists the descendants of a prefix, sorted by key.</summary>
    /// <param name="prefix">The canonical prefix; empty for all keys.</param>
    /// <param name="options">The read options (never null).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    protected abstract Task<IReadOnlyList<KvPair>> ListCoreAsync(string prefix, KvReadOptions options, CancellationToken cancellationToken);

    /// <summary>Deletes a prefix key and its descendants.</summary>
    /// <param name="prefix">The canonical prefix; empty for all keys.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    protected abstract Task<int> DeleteTreeCoreAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Compare-and-swap write; keeps the key alive when asked and written.</summary>
    /// <param name="key">The canonical key.</param>
    /// <param name="value">The value.</param>
    /// <param name="expectedIndex">The index last read, or 0 to create only.</param>
    /// <param name="options">The validated write options (never null).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    protected abstract Task<KvCasResult> AtomicPutCoreAsync(string key, ReadOnlyMemory<byte> value, ulong expectedIndex, KvWriteOptions options, CancellationToken cancellationToken);

    /// <summary>Compare-and-delete.</summary>
    /// <param name="key">The canonical key.</param>
    /// <param name="expectedIndex">The index last read; greater than 0.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    protected abstract Task<KvCasResult> AtomicDeleteCoreAsync(string key, ulong expectedIndex, CancellationToken cancellationToken);

    /// <summary>Applies a transaction all or nothing.</summary>
    /// <param name="transaction">The transaction (never null).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    protected abstract Task<bool> CommitCoreAsync(KvTransaction transaction, CancellationToken cancellationToken);

    /// <summary>Creates the backend's lock.</summary>
    /// <param name="key">The canonical key.</param>
    /// <param name="options">The validated lock options (never null).</param>
    protected abstract IKvLock CreateLockCore(string key, KvLockOptions options);

    /// <summary>Closes the backend's client; called once, after every renewal was abandoned and every watch told to end.</summary>
    protected virtual ValueTask CloseCoreAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// How a compare-and-swap against <paramref name="current"/> turns out, for backends that read the key and decide
    /// themselves: 0 means "create only", anything else must equal the key's current index.
    /// </summary>
    /// <param name="current">The key's current pair, or null when it does not exist.</param>
    /// <param name="expectedIndex">The index the caller expects.</param>
    protected static KvCasOutcome CompareIndex(KvPair? current, ulong expectedIndex) => (current, expectedIndex) switch
    {
        (null, 0) => KvCasOutcome.Succeeded,
        (null, _) => KvCasOutcome.KeyNotFound,
        (_, 0) => KvCasOutcome.KeyExists,
        _ when current.LastIndex != expectedIndex => KvCasOutcome.KeyModified,
        _ => KvCasOutcome.Succeeded,
    };

    /// <summary>
    /// Keeps <paramref name="pair"/> alive when <paramref name="options"/> ask for it (a TTL and
    /// <see cref="KvWriteOptions.KeepAlive"/>): renews it in the background about every third of the TTL until a renewal
    /// answers false (overwritten or deleted) or the store is disposed.
    /// </summary>
    /// <param name="pair">The pair just written.</param>
    /// <param name="options">The write options it was written with.</param>
    /// <param name="renew">Renews the key for the TTL; false when it no longer holds this write.</param>
    protected void KeepAliveIfAsked(KvPair pair, KvWriteOptions options, Func<TimeSpan, CancellationToken, Task<bool>> renew)
    {
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(renew);
        if (options.KeepAlive && options.Ttl is { } ttl)
        {
            KeepAlive(ttl, ct => renew(ttl, ct));
        }
    }

    /// <summary>
    /// Renews something in the background about every third of <paramref name="ttl"/> until <paramref name="renew"/>
    /// answers false (then <paramref name="whenGone"/> runs) or the store is disposed (then renewing stops, releasing nothing).
    /// </summary>
    /// <param name="ttl">The time to live the renewals extend.</param>
    /// <param name="renew">One renewal; false when there is nothing left to keep alive.</param>
    /// <param name="whenGone">Cleans up once a renewal answered false; optional.</param>
    protected void KeepAlive(TimeSpan ttl, Func<CancellationToken, Task<bool>> renew, Func<Task>? whenGone = null)
    {
        ArgumentNullException.ThrowIfNull(renew);
        KvLeaseKeeper? keeper = null;
        keeper = new KvLeaseKeeper(
            ttl,
            async ct =>
            {
                var renewed = await renew(ct).ConfigureAwait(false);
                if (!renewed)
                {
                    Untrack(keeper!); // overwritten or deleted: nothing left to keep alive
                    if (whenGone is not null)
                    {
                        await whenGone().ConfigureAwait(false);
                    }
                }

                return renewed;
            },
            TimeProvider);
        TrackUntilDisposed(keeper, async () => await keeper.DisposeAsync().ConfigureAwait(false));
        keeper.Start();
    }

    private Task<T> Trace<T>(string operation, Func<Task<T>> call) => KvStoreActivities.Trace(Backend, operation, call);

    private static KvWriteOptions Validated(KvWriteOptions? options)
    {
        options ??= KvWriteOptions.Default;
        options.Validate();
        return options;
    }
}
