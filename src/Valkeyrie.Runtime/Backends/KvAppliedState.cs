namespace Valkeyrie.Backends;

/// <summary>
/// What a watch has delivered so far, key by key, so that the periodic reconciliation can compare a fresh read of the
/// scope with it and deliver only what differs (a native write the change feed never reported).
/// </summary>
internal sealed class KvAppliedState
{
    private readonly Dictionary<string, KvPair> _pairs = new(StringComparer.Ordinal);

    /// <summary>Records a snapshot or a batch the watch delivered.</summary>
    /// <param name="change">The delivered change.</param>
    public void Apply(KvTreeChange change)
    {
        if (change.IsSnapshot)
        {
            _pairs.Clear();
            foreach (var pair in change.Snapshot)
            {
                _pairs[pair.Key] = pair;
            }

            return;
        }

        Record(change.Events);
    }

    /// <summary>
    /// The events that turn the delivered state into <paramref name="fresh"/>, in key order (empty when they agree),
    /// and records them as delivered. A key counts as changed when its index or its bytes differ: some native tools
    /// rewrite a value without touching the index field.
    /// </summary>
    /// <param name="fresh">A consistent read of the scope.</param>
    public List<KvEvent> Reconcile(KvScopeSnapshot fresh)
    {
        var events = new List<KvEvent>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pair in fresh.Pairs)
        {
            seen.Add(pair.Key);
            if (!_pairs.TryGetValue(pair.Key, out var known) || !known.Equals(pair)) // index and bytes
            {
                events.Add(KvEvent.Put(pair));
            }
        }

        var gone = _pairs.Keys.Where(key => !seen.Contains(key)).ToList();
        gone.Sort(KvKeys.Comparer);
        events.AddRange(gone.Select(key => KvEvent.Delete(key, fresh.Revision)));
        Record(events);
        return events;
    }

    private void Record(IEnumerable<KvEvent> events)
    {
        foreach (var e in events)
        {
            if (e.Pair is { } pair)
            {
                _pairs[e.Key] = pair;
            }
            else
            {
                _pairs.Remove(e.Key);
            }
        }
    }
}
