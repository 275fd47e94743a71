namespace Valkeyrie;

/// <summary>
/// A key/value store: one contract implemented the same way by every backend (see docs/store-contract.md).
/// Keys are canonical <c>a/b/c</c> paths (see <see cref="KvKeys"/>); every call validates its key.
/// </summary>
public interface IKvStore : IAsyncDisposable
{
    /// <summary>Reads one key. Returns <see langword="null"/> when the key does not exist.</summary>
    /// <param name="key">The key to read.</param>
    /// <param name="options">Read options, for example <see cref="KvReadOptions.Consistent"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<KvPair?> GetAsync(string key, KvReadOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Tells whether a key exists.</summary>
    /// <param name="key">The key to look for.</param>
    /// <param name="options">Read options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<bool> ExistsAsync(string key, KvReadOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Writes a key unconditionally and returns the stored pair with its new index.</summary>
    /// <param name="key">The key to write.</param>
    /// <param name="value">The value; any bytes, possibly empty.</param>
    /// <param name="options">Write options: TTL and keep-alive.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<KvPair> PutAsync(string key, ReadOnlyMemory<byte> value, KvWriteOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes one key (not its children). Returns <see langword="false"/> when it did not exist.</summary>
    /// <param name="key">The key to delete.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists the descendants of <paramref name="prefix"/>, sorted by key (ordinal), never the prefix key itself.
    /// Prefixes match on segment boundaries: <c>app</c> never lists <c>apple/x</c>. The empty prefix lists every key.
    /// </summary>
    /// <param name="prefix">The prefix whose descendants to list; empty for all keys.</param>
    /// <param name="options">Read options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<KvPair>> ListAsync(string prefix, KvReadOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes the prefix key and all its descendants. Returns how many keys were deleted.</summary>
    /// <param name="prefix">The prefix to delete; empty deletes every key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<int> DeleteTreeAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>
    /// Compare-and-swap write: succeeds only when the key's current index equals <paramref name="expectedIndex"/>,
    /// or, when <paramref name="expectedIndex"/> is 0, only when the key does not exist (create only).
    /// Outcomes are results, not exceptions.
    /// </summary>
    /// <param name="key">The key to write.</param>
    /// <param name="value">The new value.</param>
    /// <param name="expectedIndex">The index last read, or 0 to create only.</param>
    /// <param name="options">Write options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<KvCasResult> AtomicPutAsync(string key, ReadOnlyMemory<byte> value, ulong expectedIndex, KvWriteOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Compare-and-delete: deletes the key only when its current index equals <paramref name="expectedIndex"/>.</summary>
    /// <param name="key">The key to delete.</param>
    /// <param name="expectedIndex">The index last read; must be greater than 0.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<KvCasResult> AtomicDeleteAsync(string key, ulong expectedIndex, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies a transaction all or nothing: when every check holds, every operation is applied and the
    /// result is <see langword="true"/>; otherwise nothing is written and the result is <see langword="false"/>.
    /// </summary>
    /// <param name="transaction">The checks and operations.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="KvLimitExceededException">The transaction exceeds the backend's operation limit; nothing was written.</exception>
    Task<bool> CommitAsync(KvTransaction transaction, CancellationToken cancellationToken = default);

    /// <summary>
    /// Watches one key: yields its current value first (<see langword="null"/> when missing), then every change,
    /// <see langword="null"/> after a delete. Ends only when <paramref name="cancellationToken"/> is cancelled or the
    /// store is disposed; transient failures are retried and resumed without losing a change.
    /// </summary>
    /// <param name="key">The key to watch; it need not exist yet.</param>
    /// <param name="options">Read options.</param>
    /// <param name="cancellationToken">Stops the watch.</param>
    IAsyncEnumerable<KvPair?> WatchAsync(string key, KvReadOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Watches the descendants of a prefix: yields a snapshot first (empty when there is nothing yet), then
    /// deltas in order. Yields a fresh snapshot whenever continuity cannot be proven (for example after
    /// history was compacted during an outage).
    /// </summary>
    /// <param name="prefix">The prefix to watch; empty for the whole store.</param>
    /// <param name="options">Read options.</param>
    /// <param name="cancellationToken">Stops the watch.</param>
    IAsyncEnumerable<KvTreeChange> WatchTreeAsync(string prefix, KvReadOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Creates a distributed lock on <paramref name="key"/>; nothing is acquired until <see cref="IKvLock.AcquireAsync"/>.</summary>
    /// <param name="key">The lock's key; while held it carries <see cref="KvLockOptions.Value"/>.</param>
    /// <param name="options">Lock options: value and TTL.</param>
    IKvLock CreateLock(string key, KvLockOptions? options = null);
}
