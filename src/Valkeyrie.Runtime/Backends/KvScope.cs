namespace Valkeyrie.Backends;

/// <summary>What a watch covers: one exact key, or the strict descendants of a prefix.</summary>
/// <param name="Key">The canonical key or prefix (empty prefix = whole store).</param>
/// <param name="IsTree">Whether this is the descendants of <paramref name="Key"/> rather than the key itself.</param>
public readonly record struct KvScope(string Key, bool IsTree)
{
    /// <summary>The scope of one key.</summary>
    /// <param name="key">A canonical key.</param>
    public static KvScope ForKey(string key) => new(key, false);

    /// <summary>The scope of a tree.</summary>
    /// <param name="prefix">A canonical prefix.</param>
    public static KvScope ForTree(string prefix) => new(prefix, true);

    /// <summary>Whether a canonical key is in this scope.</summary>
    /// <param name="key">A canonical key.</param>
    public bool Contains(string key) => IsTree ? KvKeys.IsDescendant(key, Key) : key == Key;
}
