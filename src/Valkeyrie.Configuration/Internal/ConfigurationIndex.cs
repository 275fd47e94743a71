using System.Collections.Immutable;
using EntryMap = Valkeyrie.Configuration.Internal.PersistentMap<string, object, Valkeyrie.Configuration.Internal.IgnoreCaseKey>;
using LayerMap = Valkeyrie.Configuration.Internal.PersistentMap<string, string, Valkeyrie.Configuration.Internal.OrdinalKey>;

namespace Valkeyrie.Configuration.Internal;

/// <summary>
/// An immutable view of the provider's data: readers see one whole version or the next, never a mix (no torn reads).
/// Besides the key/value map it keeps a trie of configuration paths (<see cref="PathNode"/>), so
/// <see cref="AddChildrenTo"/> costs O(children) however many unrelated keys there are. Versions share structure,
/// so a change copies O(changed keys) nodes.
/// </summary>
internal sealed class ConfigurationIndex
{
    /// <summary>The layer of values set through <c>IConfiguration</c>'s indexer; they win over every prefix.</summary>
    public const int OverrideLayer = int.MaxValue;

    internal static readonly StringComparer KeyComparer = StringComparer.OrdinalIgnoreCase;

    internal ConfigurationIndex(EntryMap entries, PathNode paths, ImmutableArray<LayerMap> layers)
    {
        Entries = entries;
        Paths = paths;
        Layers = layers;
    }

    /// <summary>Configuration key → its candidates (see <see cref="Candidates"/>).</summary>
    internal EntryMap Entries { get; }

    /// <summary>The trie of configuration paths.</summary>
    internal PathNode Paths { get; }

    /// <summary>Per prefix: store key → its raw value (what it maps to is derived again from these two when needed).</summary>
    internal ImmutableArray<LayerMap> Layers { get; }

    /// <summary>The number of configuration keys.</summary>
    public int Count => Entries.Count;

    /// <summary>An empty index with <paramref name="layerCount"/> prefixes.</summary>
    public static ConfigurationIndex Empty(int layerCount) => new(default, PathNode.Empty, [.. new LayerMap[layerCount]]);

    /// <summary>Reads a configuration value.</summary>
    public bool TryGetValue(string key, out string? value)
    {
        if (Entries.TryGetValue(key, out var candidates))
        {
            value = Candidates.Best(candidates).Value;
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>Adds the child segments of a configuration path (<see langword="null"/> for the root) to <paramref name="keys"/>.</summary>
    public void AddChildrenTo(List<string> keys, string? parentPath) => Paths.AddChildrenTo(keys, parentPath);

    /// <summary>Starts a mutable copy; the copy shares structure with this index and never changes it.</summary>
    public ConfigurationIndexBuilder ToBuilder() => new(this);

    /// <summary>
    /// The configuration keys among <paramref name="touched"/> whose value or presence differs between two versions;
    /// every key of either version when <paramref name="touched"/> is <see langword="null"/>.
    /// </summary>
    public static List<string> Diff(ConfigurationIndex before, ConfigurationIndex after, IEnumerable<string>? touched)
    {
        if (touched is null)
        {
            var all = new HashSet<string>(KeyComparer);
            foreach (var index in (ReadOnlySpan<ConfigurationIndex>)[before, after])
            {
                index.Entries.AddKeysTo(all, static key => key);
            }

            touched = all;
        }

        var changed = new List<string>();
        foreach (var key in touched)
        {
            var had = before.TryGetValue(key, out var oldValue);
            var has = after.TryGetValue(key, out var newValue);
            if (had != has || !string.Equals(oldValue, newValue, StringComparison.Ordinal))
            {
                changed.Add(key);
            }
        }

        return changed;
    }
}
