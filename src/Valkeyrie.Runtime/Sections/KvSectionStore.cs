using System.Runtime.CompilerServices;

namespace Valkeyrie.Sections;

/// <summary>
/// Loads and saves <see cref="IKvSection{TSelf}"/> sections. The generated <c>LoadAsync</c>/<c>SaveAsync</c>
/// members call these; generic code can call them directly.
/// </summary>
public static class KvSectionStore
{
    /// <summary>
    /// Reads the section with one consistent list of its prefix. The instance remembers the version it was read at
    /// (without changing the instance), so <see cref="SaveAsync{T}(IKvStore, T, CancellationToken)"/> detects concurrent writers.
    /// </summary>
    /// <typeparam name="T">The section type.</typeparam>
    /// <param name="store">The store.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<T> LoadAsync<T>(IKvStore store, CancellationToken cancellationToken = default)
        where T : class, IKvSection<T>
    {
        var loaded = await LoadVersionedAsync<T>(store, cancellationToken).ConfigureAwait(false);
        return loaded.Value;
    }

    /// <summary>Reads the section and returns it with the version it was read at.</summary>
    /// <typeparam name="T">The section type.</typeparam>
    /// <param name="store">The store.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<KvLoadedSection<T>> LoadVersionedAsync<T>(IKvStore store, CancellationToken cancellationToken = default)
        where T : class, IKvSection<T>
    {
        ArgumentNullException.ThrowIfNull(store);
        var pairs = await store.ListAsync(T.SectionPath, KvReadOptions.Default, cancellationToken).ConfigureAwait(false);
        var value = T.FromKvPairs(pairs);
        var version = new KvSectionVersion(pairs);
        Versions<T>.Table.AddOrUpdate(value, version);
        return new KvLoadedSection<T>(value, version);
    }

    /// <summary>
    /// Writes the whole section in one transaction. An instance returned by <see cref="LoadAsync{T}"/> is saved
    /// against the version it was loaded at; any other instance replaces what the store holds now. Either way the
    /// transaction checks every key's index (absent keys stay absent), writes changed values, and deletes keys
    /// of members that became null and of removed collection items.
    /// </summary>
    /// <typeparam name="T">The section type.</typeparam>
    /// <param name="store">The store.</param>
    /// <param name="section">The section to write.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see cref="KvSaveResult.Saved"/>, or <see cref="KvSaveResult.Conflict"/> when someone else changed the section first (nothing was written).</returns>
    /// <exception cref="KvOutcomeUnknownException">
    /// The transaction was sent but its answer was lost: it may or may not have been applied. Saving the same loaded
    /// instance again is safe, since the transaction checks every key's index: it answers <see cref="KvSaveResult.Conflict"/>
    /// when the first attempt was applied (load the section again to see it).
    /// </exception>
    /// <exception cref="KvUnavailableException">The store could not be reached; nothing was written.</exception>
    public static Task<KvSaveResult> SaveAsync<T>(IKvStore store, T section, CancellationToken cancellationToken = default)
        where T : class, IKvSection<T>
    {
        ArgumentNullException.ThrowIfNull(section);
        Versions<T>.Table.TryGetValue(section, out var version);
        return SaveAsync(store, section, version, cancellationToken);
    }

    /// <summary>Writes the whole section in one transaction against an explicit version (see <see cref="SaveAsync{T}(IKvStore, T, CancellationToken)"/>).</summary>
    /// <typeparam name="T">The section type.</typeparam>
    /// <param name="store">The store.</param>
    /// <param name="section">The section to write.</param>
    /// <param name="expected">The version the section was read at, or <see langword="null"/> to replace the current content.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public static async Task<KvSaveResult> SaveAsync<T>(IKvStore store, T section, KvSectionVersion? expected, CancellationToken cancellationToken = default)
        where T : class, IKvSection<T>
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(section);
        if (expected is { IsStale: true })
        {
            return KvSaveResult.Conflict;
        }

        var prefix = T.SectionPath;
        expected ??= new KvSectionVersion(await store.ListAsync(prefix, KvReadOptions.Default, cancellationToken).ConfigureAwait(false));
        var written = section.ToKvPairs();
        var transaction = BuildTransaction(expected, written);
        if (transaction.Operations.Count > 0 && !await store.CommitAsync(transaction, cancellationToken).ConfigureAwait(false))
        {
            return KvSaveResult.Conflict;
        }

        // The commit does not return the new indexes. Re-read them; if the store already differs from what was
        // written, someone wrote right after us and the next save from this instance must be a conflict.
        var current = await store.ListAsync(prefix, KvReadOptions.Default, cancellationToken).ConfigureAwait(false);
        Versions<T>.Table.AddOrUpdate(section, SameContent(current, written) ? new KvSectionVersion(current) : KvSectionVersion.Stale);
        return KvSaveResult.Saved;
    }

    private static KvTransaction BuildTransaction(KvSectionVersion expected, IReadOnlyList<KvPair> written)
    {
        var transaction = new KvTransaction();
        var writtenKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pair in written)
        {
            writtenKeys.Add(pair.Key);
            if (expected.Pairs.TryGetValue(pair.Key, out var old))
            {
                transaction.CheckIndex(pair.Key, old.LastIndex);
                if (!old.Value.Span.SequenceEqual(pair.Value.Span))
                {
                    transaction.Put(pair.Key, pair.Value);
                }
            }
            else
            {
                transaction.CheckAbsent(pair.Key).Put(pair.Key, pair.Value);
            }
        }

        foreach (var old in expected.Pairs.Values)
        {
            if (!writtenKeys.Contains(old.Key))
            {
                transaction.CheckIndex(old.Key, old.LastIndex).Delete(old.Key);
            }
        }

        return transaction;
    }

    private static bool SameContent(IReadOnlyList<KvPair> current, IReadOnlyList<KvPair> written)
    {
        if (current.Count != written.Count)
        {
            return false;
        }

        var byKey = current.ToDictionary(p => p.Key, StringComparer.Ordinal);
        return written.All(p => byKey.TryGetValue(p.Key, out var c) && c.Value.Span.SequenceEqual(p.Value.Span));
    }

    // Keyed by instance identity and never keeping the instance alive: loading must not change the user's type.
    private static class Versions<T>
        where T : class
    {
        public static readonly ConditionalWeakTable<T, KvSectionVersion> Table = new();
    }
}
