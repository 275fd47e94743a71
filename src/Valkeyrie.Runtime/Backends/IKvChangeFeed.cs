namespace Valkeyrie.Backends;

/// <summary>
/// What a backend provides so that <see cref="KvWatchStreams"/> can build <see cref="IKvStore.WatchAsync"/> and
/// <see cref="IKvStore.WatchTreeAsync"/> with one shared retry, resume and snapshot-on-gap logic.
/// </summary>
public interface IKvChangeFeed
{
    /// <summary>Reads every pair in <paramref name="scope"/> and the revision the read is consistent at.</summary>
    /// <param name="scope">The key or tree.</param>
    /// <param name="options">Read options.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<KvScopeSnapshot> ReadScopeAsync(KvScope scope, KvReadOptions options, CancellationToken cancellationToken);

    /// <summary>
    /// Streams the changes in <paramref name="scope"/> made strictly after <paramref name="afterRevision"/>, as batches
    /// in store order (a batch may have no events; it then only advances the revision). Runs until cancelled.
    /// Throws <see cref="KvHistoryLostException"/> when it cannot prove that no change after that revision was missed,
    /// <see cref="KvUnavailableException"/> on transient failures, and other exceptions for permanent ones.
    /// </summary>
    /// <param name="scope">The key or tree.</param>
    /// <param name="afterRevision">The revision already seen.</param>
    /// <param name="options">Read options.</param>
    /// <param name="cancellationToken">Stops the stream.</param>
    IAsyncEnumerable<KvTreeChange> ReadChangesAsync(KvScope scope, ulong afterRevision, KvReadOptions options, CancellationToken cancellationToken);
}

/// <summary>The pairs of a scope and the revision they were read at.</summary>
/// <param name="Pairs">The pairs, sorted by key.</param>
/// <param name="Revision">The store revision the read is consistent at.</param>
public sealed record KvScopeSnapshot(IReadOnlyList<KvPair> Pairs, ulong Revision);
