using System.ComponentModel;
using System.Text;

namespace Valkeyrie.Sections;

/// <summary>
/// Writes a section as store pairs: one key per scalar, <c>prefix/Member</c>, <c>prefix/List/0</c>,
/// <c>prefix/Dictionary/name</c>. An empty collection or object is written as its own key with an empty value,
/// so that loading it gives an empty collection rather than the member's default. Two names under one parent that
/// differ only in case are a <see cref="KvBindingException"/>, since configuration would read them as one key.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class KvPairsWriter : KvSectionWriter
{
    private readonly List<KvPair> _pairs = [];
    private readonly Stack<Level> _levels = new();

    /// <summary>Creates a writer for the section stored under <paramref name="prefix"/>.</summary>
    /// <param name="prefix">The section's canonical store prefix.</param>
    public KvPairsWriter(string prefix)
    {
        _levels.Push(new Level(KvKeys.NormalizePrefix(prefix)));
    }

    /// <inheritdoc />
    public override void WriteValue(string name, string text, KvValueKind kind)
    {
        ArgumentNullException.ThrowIfNull(text);
        var key = ChildKey(name);
        _pairs.Add(new KvPair(key, Encoding.UTF8.GetBytes(text), 0));
    }

    /// <inheritdoc />
    public override void WriteNull(string name) => _pairs.Add(new KvPair(ChildKey(name), ReadOnlyMemory<byte>.Empty, 0));

    /// <inheritdoc />
    public override void BeginObject(string name) => _levels.Push(new Level(ChildKey(name)));

    /// <inheritdoc />
    public override void EndObject() => End();

    /// <inheritdoc />
    public override void BeginArray(string name) => BeginObject(name);

    /// <inheritdoc />
    public override void EndArray() => End();

    /// <summary>The pairs written so far, sorted by key.</summary>
    public IReadOnlyList<KvPair> ToPairs()
    {
        var pairs = _pairs.ToArray();
        Array.Sort(pairs, static (a, b) => KvKeys.Comparer.Compare(a.Key, b.Key));
        return pairs;
    }

    private void End()
    {
        if (_levels.Count <= 1)
        {
            throw new InvalidOperationException("EndObject/EndArray without a matching BeginObject/BeginArray.");
        }

        var level = _levels.Pop();
        if (!level.HasChildren)
        {
            _pairs.Add(new KvPair(level.Key, ReadOnlyMemory<byte>.Empty, 0));
        }
    }

    private string ChildKey(string name)
    {
        var parent = _levels.Peek();
        var key = KvKeys.DescendantPrefix(parent.Key) + name;
        if (!KvSegments.IsValid(name, out var rule))
        {
            throw new ArgumentException($"Cannot store '{name}' as a key segment under '{parent.Key}': {rule}. Store the member with [KvJson] instead.", nameof(name));
        }

        parent.Names.Add(name, parent.Key);
        return KvKeys.Normalize(key);
    }

    private sealed class Level(string key)
    {
        public string Key { get; } = key;

        public KvSiblingNames Names { get; } = new();

        public bool HasChildren => Names.Count > 0;
    }
}
