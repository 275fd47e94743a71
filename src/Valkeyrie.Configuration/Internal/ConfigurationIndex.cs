using System.Collections.Immutable;

namespace Valkeyrie.Configuration.Internal;

/// <summary>
/// An immutable view of the provider's data: readers see one whole version or the next, never a mix (no torn reads).
/// Besides the key/value map it keeps, for every configuration path, its child segments with a count of the keys
/// below each, so <see cref="GetChildren"/> costs O(children) however many unrelated keys there are.
/// </summary>
internal sealed class ConfigurationIndex
{
    /// <summary>The layer of values set through <c>IConfiguration</c>'s indexer; they win over every prefix.</summary>
    public const int OverrideLayer = int.MaxValue;

    internal static readonly StringComparer KeyComparer = StringComparer.OrdinalIgnoreCase;

    internal ConfigurationIndex(
        ImmutableDictionary<string, ImmutableArray<Contribution>> entries,
        ImmutableDictionary<string, ImmutableDictionary<string, int>> children,
        ImmutableArray<ImmutableDictionary<string, StoredKey>> layers)
    {
        Entries = entries;
        Children = children;
        Layers = layers;
    }

    /// <summary>Configuration key → candidates, best first (never empty).</summary>
    internal ImmutableDictionary<string, ImmutableArray<Contribution>> Entries { get; }

    /// <summary>Configuration path ("" for the root) → child segment → number of keys at or below that child.</summary>
    internal ImmutableDictionary<string, ImmutableDictionary<string, int>> Children { get; }

    /// <summary>Per prefix: store key → what it contributes.</summary>
    internal ImmutableArray<ImmutableDictionary<string, StoredKey>> Layers { get; }

    /// <summary>The number of configuration keys.</summary>
    public int Count => Entries.Count;

    /// <summary>An empty index with <paramref name="layerCount"/> prefixes.</summary>
    public static ConfigurationIndex Empty(int layerCount) => new(
        ImmutableDictionary.Create<string, ImmutableArray<Contribution>>(KeyComparer),
        ImmutableDictionary.Create<string, ImmutableDictionary<string, int>>(KeyComparer),
        [.. Enumerable.Repeat(ImmutableDictionary.Create<string, StoredKey>(StringComparer.Ordinal), layerCount)]);

    /// <summary>Reads a configuration value.</summary>
    public bool TryGetValue(string key, out string? value)
    {
        if (Entries.TryGetValue(key, out var candidates))
        {
            value = candidates[0].Value;
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>The child segments of a configuration path (<see langword="null"/> or empty for the root).</summary>
    public IEnumerable<string> GetChildren(string? parentPath) =>
        Children.TryGetValue(parentPath ?? string.Empty, out var children) ? children.Keys : [];

    /// <summary>Starts a mutable copy; the copy shares structure with this index.</summary>
    public ConfigurationIndexBuilder ToBuilder() => new(this);

    /// <summary>The configuration keys among <paramref name="touched"/> whose value or presence differs between two versions.</summary>
    public static List<string> Diff(ConfigurationIndex before, ConfigurationIndex after, IEnumerable<string> touched)
    {
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
