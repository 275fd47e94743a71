using System.Collections.Immutable;

namespace Valkeyrie.Configuration.Internal;

/// <summary>
/// The mutable side of <see cref="ConfigurationIndex"/>: applies store changes in O(changed keys × log n) and records
/// which configuration keys they touched, so a reload can compare only those. Not thread-safe.
/// </summary>
internal sealed class ConfigurationIndexBuilder
{
    private readonly ImmutableDictionary<string, ImmutableArray<Contribution>>.Builder _entries;
    private readonly ImmutableDictionary<string, ImmutableDictionary<string, int>>.Builder _children;
    private readonly ImmutableDictionary<string, StoredKey>.Builder[] _layers;
    private readonly HashSet<string> _touched = new(ConfigurationIndex.KeyComparer);
    private readonly List<(string Key, string? Value, bool Expanded)> _scratch = [];

    internal ConfigurationIndexBuilder(ConfigurationIndex index)
    {
        _entries = index.Entries.ToBuilder();
        _children = index.Children.ToBuilder();
        _layers = [.. index.Layers.Select(l => l.ToBuilder())];
    }

    /// <summary>The configuration keys touched since the last <see cref="TakeTouched"/>.</summary>
    public int TouchedCount => _touched.Count;

    /// <summary>Returns and forgets the touched keys.</summary>
    public string[] TakeTouched()
    {
        var touched = _touched.ToArray();
        _touched.Clear();
        return touched;
    }

    /// <summary>Freezes the current content (the builder stays usable).</summary>
    public ConfigurationIndex ToImmutable() =>
        new(_entries.ToImmutable(), _children.ToImmutable(), [.. _layers.Select(l => l.ToImmutable())]);

    /// <summary>Applies a put (<paramref name="rawValue"/> not null) or delete of one store key.</summary>
    public void SetStoreKey(int layer, string prefix, string storeKey, string? rawValue, KeyMapper mapper)
    {
        var keys = _layers[layer];
        if (keys.TryGetValue(storeKey, out var previous))
        {
            if (rawValue is not null && previous.RawValue == rawValue)
            {
                return;
            }

            foreach (var key in previous.ConfigurationKeys)
            {
                Remove(key, c => c.IsFrom(layer, storeKey));
            }

            keys.Remove(storeKey);
        }

        if (rawValue is null)
        {
            return;
        }

        _scratch.Clear();
        mapper.Map(prefix, storeKey, rawValue, _scratch);
        var produced = ImmutableArray.CreateBuilder<string>(_scratch.Count);
        foreach (var (key, value, expanded) in _scratch)
        {
            // A store write supersedes a value set in memory through the indexer, as a file reload would.
            Remove(key, c => c.Layer == ConfigurationIndex.OverrideLayer);
            Add(key, new Contribution(layer, expanded, storeKey, value));
            produced.Add(key);
        }

        keys[storeKey] = new StoredKey(rawValue, produced.MoveToImmutable());
    }

    /// <summary>Replaces a whole prefix with a snapshot, touching only keys whose value changed.</summary>
    public void ReplaceLayer(int layer, string prefix, IEnumerable<KeyValuePair<string, string>> pairs, KeyMapper mapper)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            seen.Add(key);
            SetStoreKey(layer, prefix, key, value, mapper);
        }

        foreach (var key in _layers[layer].Keys.Where(k => !seen.Contains(k)).ToList())
        {
            SetStoreKey(layer, prefix, key, null, mapper);
        }
    }

    /// <summary>Sets a value in memory only (IConfiguration's indexer); it wins until the store next writes that key.</summary>
    public void SetOverride(string key, string? value)
    {
        Remove(key, c => c.Layer == ConfigurationIndex.OverrideLayer);
        Add(key, new Contribution(ConfigurationIndex.OverrideLayer, false, key, value));
    }

    private void Add(string key, Contribution contribution)
    {
        _touched.Add(key);
        if (_entries.TryGetValue(key, out var candidates))
        {
            var position = 0;
            while (position < candidates.Length && Contribution.CompareBestFirst(candidates[position], contribution) <= 0)
            {
                position++;
            }

            _entries[key] = candidates.Insert(position, contribution);
            return;
        }

        _entries[key] = [contribution];
        AdjustChildren(key, +1);
    }

    private void Remove(string key, Func<Contribution, bool> match)
    {
        if (!_entries.TryGetValue(key, out var candidates))
        {
            return;
        }

        var remaining = candidates.RemoveAll(c => match(c));
        if (remaining.Length == candidates.Length)
        {
            return;
        }

        _touched.Add(key);
        if (remaining.IsEmpty)
        {
            _entries.Remove(key);
            AdjustChildren(key, -1);
        }
        else
        {
            _entries[key] = remaining;
        }
    }

    // Counts every key at each of its ancestors, so a path's child disappears exactly when its last key does.
    private void AdjustChildren(string key, int delta)
    {
        var segmentStart = 0;
        while (true)
        {
            var separator = key.IndexOf(':', segmentStart);
            var parent = segmentStart == 0 ? string.Empty : key[..(segmentStart - 1)];
            var child = separator < 0 ? key[segmentStart..] : key[segmentStart..separator];
            var children = _children.TryGetValue(parent, out var existing)
                ? existing
                : ImmutableDictionary.Create<string, int>(ConfigurationIndex.KeyComparer);
            var count = (children.TryGetValue(child, out var current) ? current : 0) + delta;
            children = count > 0 ? children.SetItem(child, count) : children.Remove(child);
            if (children.IsEmpty)
            {
                _children.Remove(parent);
            }
            else
            {
                _children[parent] = children;
            }

            if (separator < 0)
            {
                return;
            }

            segmentStart = separator + 1;
        }
    }
}
