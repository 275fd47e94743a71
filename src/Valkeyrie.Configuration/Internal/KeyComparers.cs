namespace Valkeyrie.Configuration.Internal;

/// <summary>Hashing and equality for a <see cref="PersistentMap{TKey, TValue, TComparer}"/>, resolved at compile time (no virtual calls).</summary>
/// <typeparam name="TKey">The key type.</typeparam>
internal interface IKeyComparer<in TKey>
{
    static abstract int Hash(TKey key);

    static abstract bool Equal(TKey x, TKey y);
}

/// <summary>Configuration keys: case-insensitive, as <c>IConfiguration</c> expects.</summary>
internal readonly struct IgnoreCaseKey : IKeyComparer<string>
{
    public static int Hash(string key) => string.GetHashCode(key, StringComparison.OrdinalIgnoreCase);

    public static bool Equal(string x, string y) => string.Equals(x, y, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Store keys: case-sensitive, as every backend compares them.</summary>
internal readonly struct OrdinalKey : IKeyComparer<string>
{
    public static int Hash(string key) => key.GetHashCode(StringComparison.Ordinal);

    public static bool Equal(string x, string y) => string.Equals(x, y, StringComparison.Ordinal);
}

/// <summary>One segment of a configuration path, a slice of a key string (no string of its own), case-insensitive.</summary>
internal readonly struct SegmentKey : IKeyComparer<ReadOnlyMemory<char>>
{
    public static int Hash(ReadOnlyMemory<char> key) => string.GetHashCode(key.Span, StringComparison.OrdinalIgnoreCase);

    public static bool Equal(ReadOnlyMemory<char> x, ReadOnlyMemory<char> y) => x.Span.Equals(y.Span, StringComparison.OrdinalIgnoreCase);
}
