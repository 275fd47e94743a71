namespace Valkeyrie;

/// <summary>
/// One item of <see cref="IKvStore.WatchTreeAsync"/>: either a snapshot of the whole tree, which replaces
/// whatever the consumer held, or a batch of per-key events in the order the store applied them
/// (one batch is typically one write or one transaction).
/// </summary>
public sealed class KvTreeChange
{
    private KvTreeChange(bool isSnapshot, IReadOnlyList<KvPair> pairs, IReadOnlyList<KvEvent> events, ulong revision)
    {
        IsSnapshot = isSnapshot;
        Snapshot = pairs;
        Events = events;
        Revision = revision;
    }

    /// <summary>Whether this is a full snapshot (replace everything) rather than a batch of events.</summary>
    public bool IsSnapshot { get; }

    /// <summary>For a snapshot, every pair under the prefix, sorted by key; empty otherwise.</summary>
    public IReadOnlyList<KvPair> Snapshot { get; }

    /// <summary>For a delta, the events in order; empty for a snapshot.</summary>
    public IReadOnlyList<KvEvent> Events { get; }

    /// <summary>The store's position after this change; informational, comparable only within one watch.</summary>
    public ulong Revision { get; }

    /// <summary>Creates a snapshot.</summary>
    /// <param name="pairs">Every pair under the prefix, sorted by key.</param>
    /// <param name="revision">The store's position the snapshot was read at.</param>
    public static KvTreeChange FromSnapshot(IReadOnlyList<KvPair> pairs, ulong revision) => new(true, pairs, [], revision);

    /// <summary>Creates a batch of events.</summary>
    /// <param name="events">The events in order; at least one.</param>
    /// <param name="revision">The store's position after the last event.</param>
    public static KvTreeChange FromEvents(IReadOnlyList<KvEvent> events, ulong revision) => new(false, [], events, revision);

    /// <inheritdoc />
    public override string ToString() =>
        IsSnapshot ? $"snapshot of {Snapshot.Count} keys at {Revision}" : $"{Events.Count} events up to {Revision}";
}

/// <summary>What happened to a key.</summary>
public enum KvEventKind
{
    /// <summary>The key was created or updated.</summary>
    Put,

    /// <summary>The key was deleted or expired.</summary>
    Delete,
}

/// <summary>A change of one key.</summary>
/// <param name="Kind">Put or delete.</param>
/// <param name="Key">The canonical key.</param>
/// <param name="Pair">The new pair for a put; <see langword="null"/> for a delete.</param>
/// <param name="Index">The index of the change (the pair's index for a put).</param>
public sealed record KvEvent(KvEventKind Kind, string Key, KvPair? Pair, ulong Index)
{
    /// <summary>A put event for <paramref name="pair"/>.</summary>
    /// <param name="pair">The written pair.</param>
    public static KvEvent Put(KvPair pair) => new(KvEventKind.Put, pair.Key, pair, pair.LastIndex);

    /// <summary>A delete event for <paramref name="key"/>.</summary>
    /// <param name="key">The deleted key.</param>
    /// <param name="index">The index (revision) of the delete, 0 when the backend cannot tell.</param>
    public static KvEvent Delete(string key, ulong index) => new(KvEventKind.Delete, key, null, index);
}
