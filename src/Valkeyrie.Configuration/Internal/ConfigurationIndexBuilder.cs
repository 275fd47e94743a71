using EntryMap = Valkeyrie.Configuration.Internal.PersistentMap<string, object, Valkeyrie.Configuration.Internal.IgnoreCaseKey>;
using LayerMap = Valkeyrie.Configuration.Internal.PersistentMap<string, string, Valkeyrie.Configuration.Internal.OrdinalKey>;

namespace Valkeyrie.Configuration.Internal;

/// <summary>
/// The mutable side of <see cref="ConfigurationIndex"/>: applies store changes and records which configuration keys
/// they touched, so a reload compares only those. Nodes it created since the last <see cref="ToImmutable"/> are
/// changed in place (a full load builds like a plain dictionary); nodes already published are copied first
/// (a delta copies O(changed keys × depth) small nodes). Not thread-safe.
/// </summary>
internal sealed class ConfigurationIndexBuilder
{
    private readonly LayerMap[] _layers;
    private readonly HashSet<string> _touched = new(ConfigurationIndex.KeyComparer);
    private readonly List<(string Key, string? Value, bool Expanded)> _scratch = [];
    private readonly HashSet<string> _overrides = new(ConfigurationIndex.KeyComparer);
    private EntryMap _entries;
    private PathNode _paths;
    private object _owner = new();
    private bool _touchedAll;

    internal ConfigurationIndexBuilder(ConfigurationIndex index)
    {
        _entries = index.Entries;
        _paths = index.Paths;
        _layers = [.. index.Layers];
    }

    /// <summary>Whether any configuration key was touched since the last <see cref="TakeTouched"/>.</summary>
    public bool HasTouched => _touchedAll || _touched.Count > 0;

    /// <summary>Returns and forgets the touched keys; <see langword="null"/> when any key may have changed.</summary>
    public string[]? TakeTouched()
    {
        var touched = _touchedAll ? null : _touched.ToArray();
        _touched.Clear();
        _touchedAll = false;
        return touched;
    }

    /// <summary>Freezes the current content; the builder stays usable and never changes what it returned.</summary>
    public ConfigurationIndex ToImmutable()
    {
        var index = new ConfigurationIndex(_entries, _paths, [.. _layers]);
        _owner = new object();
        return index;
    }

    /// <summary>Applies a put (<paramref name="rawValue"/> not null) or delete of one store key.</summary>
    public void SetStoreKey(int layer, string prefix, string storeKey, string? rawValue, KeyMapper mapper)
    {
        var keys = _layers[layer];
        var hash = LayerMap.Hash(storeKey);
        if (keys.TryGetValue(storeKey, hash, out var previous))
        {
            if (rawValue is not null && string.Equals(previous, rawValue, StringComparison.Ordinal))
            {
                // Rewriting the same value is still a store write of those keys: it ends their in-memory overrides.
                _scratch.Clear();
                mapper.Map(prefix, storeKey, previous, _scratch);
                foreach (var (key, _, _) in _scratch)
                {
                    RemoveOverride(key);
                }

                return;
            }

            // What the previous value produced is derived again rather than stored with every key.
            _scratch.Clear();
            mapper.Map(prefix, storeKey, previous, _scratch);
            foreach (var (key, _, _) in _scratch)
            {
                Remove(key, layer, storeKey);
            }

            keys = keys.Remove(storeKey, hash, _owner);
        }

        if (rawValue is not null)
        {
            _scratch.Clear();
            mapper.Map(prefix, storeKey, rawValue, _scratch);
            foreach (var (key, value, expanded) in _scratch)
            {
                Put(key, new Contribution(layer, expanded, storeKey, value));
            }

            keys = keys.SetItem(storeKey, hash, rawValue, _owner);
        }

        _layers[layer] = keys;
    }

    /// <summary>Replaces a whole prefix with a snapshot, touching only keys whose value changed.</summary>
    public void ReplaceLayer(int layer, string prefix, IEnumerable<KeyValuePair<string, string>> pairs, KeyMapper mapper)
    {
        if (_layers[layer].Count == 0)
        {
            // Filling an empty prefix (a first load): every key is new, so that is recorded once rather than per key.
            _touchedAll = true;
            if (_entries.Count == 0)
            {
                Build(layer, prefix, pairs, mapper);
                return;
            }

            foreach (var (key, value) in pairs)
            {
                SetStoreKey(layer, prefix, key, value, mapper);
            }

            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            seen.Add(key);
            SetStoreKey(layer, prefix, key, value, mapper);
        }

        var gone = new List<string>();
        _layers[layer].AddKeysTo(gone, static key => key);
        foreach (var key in gone)
        {
            if (!seen.Contains(key))
            {
                SetStoreKey(layer, prefix, key, null, mapper);
            }
        }
    }

    // The bulk path into an empty index: each map is built once at its final size instead of key by key.
    private void Build(int layer, string prefix, IEnumerable<KeyValuePair<string, string>> pairs, KeyMapper mapper)
    {
        var stored = new List<KeyValuePair<string, string>>(pairs.TryGetNonEnumeratedCount(out var count) ? count : 0);
        var entries = new List<KeyValuePair<string, object>>(stored.Capacity);
        foreach (var pair in pairs)
        {
            stored.Add(pair);
            _scratch.Clear();
            mapper.Map(prefix, pair.Key, pair.Value, _scratch);
            foreach (var (key, value, expanded) in _scratch)
            {
                entries.Add(new(key, new Contribution(layer, expanded, pair.Key, value)));
            }
        }

        _layers[layer] = LayerMap.Create(stored, merge: null, _owner);
        _entries = EntryMap.Create(entries, static (kept, added) => Candidates.Add(kept, (Contribution)added), _owner);
        _paths = PathNode.Create(entries.ConvertAll(e => e.Key), _owner);
    }

    /// <summary>Sets a value in memory only (IConfiguration's indexer); it wins until the store next writes that key.</summary>
    public void SetOverride(string key, string? value)
    {
        _overrides.Add(key);
        Put(key, new Contribution(ConfigurationIndex.OverrideLayer, false, key, value));
    }

    /// <summary>Drops every value set in memory (a reload re-reads the store, like a file provider re-reads its file).</summary>
    public void ClearOverrides()
    {
        foreach (var key in _overrides.ToArray())
        {
            RemoveOverride(key);
        }
    }

    private void RemoveOverride(string key)
    {
        if (_overrides.Remove(key))
        {
            Remove(key, ConfigurationIndex.OverrideLayer, null);
        }
    }

    // A store write supersedes a value set in memory through the indexer, as a file reload would; so does a new override.
    private void Put(string key, Contribution contribution)
    {
        Touch(key);
        var hash = EntryMap.Hash(key);
        if (contribution.Layer != ConfigurationIndex.OverrideLayer)
        {
            _overrides.Remove(key);
        }

        if (_entries.TryGetValue(key, hash, out var candidates))
        {
            _entries = _entries.SetItem(key, hash, Candidates.Add(Candidates.Remove(candidates, ConfigurationIndex.OverrideLayer, null), contribution), _owner);
            return;
        }

        _entries = _entries.SetItem(key, hash, contribution, _owner);
        _paths = PathNode.AddKey(_paths, key, _owner);
    }

    private void Remove(string key, int layer, string? storeKey)
    {
        var hash = EntryMap.Hash(key);
        if (!_entries.TryGetValue(key, hash, out var candidates))
        {
            return;
        }

        var remaining = Candidates.Remove(candidates, layer, storeKey);
        if (ReferenceEquals(remaining, candidates))
        {
            return;
        }

        Touch(key);
        if (remaining is not null)
        {
            _entries = _entries.SetItem(key, hash, remaining, _owner);
            return;
        }

        _entries = _entries.Remove(key, hash, _owner);
        _paths = PathNode.RemoveKey(_paths, key, _owner);
    }

    private void Touch(string key)
    {
        if (!_touchedAll)
        {
            _touched.Add(key);
        }
    }
}
