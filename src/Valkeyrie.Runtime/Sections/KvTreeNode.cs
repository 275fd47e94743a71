namespace Valkeyrie.Sections;

/// <summary>One node of the read-only tree behind <see cref="KvTreeSection"/>.</summary>
internal sealed class KvTreeNode
{
    // Configuration keys are case-insensitive; the tree follows so that pairs bind like configuration does.
    private SortedDictionary<string, KvTreeNode>? _children;

    public string? Value { get; set; }

    /// <summary>
    /// The segment's spelling: of spellings differing only in case, the ordinal-greatest, which is the spelling of the
    /// key whose value wins and the one the configuration provider reports.
    /// </summary>
    public string Name { get; private set; } = string.Empty;

    public bool HasChildren => _children is { Count: > 0 };

    public IEnumerable<KeyValuePair<string, KvTreeNode>> Children =>
        _children ?? Enumerable.Empty<KeyValuePair<string, KvTreeNode>>();

    public KvTreeNode GetOrAddChild(string segment)
    {
        _children ??= new SortedDictionary<string, KvTreeNode>(KvSegmentComparer.Instance);
        if (!_children.TryGetValue(segment, out var child))
        {
            child = new KvTreeNode();
            _children.Add(segment, child);
        }

        if (string.CompareOrdinal(segment, child.Name) > 0)
        {
            child.Name = segment;
        }

        return child;
    }

    public KvTreeNode? GetChild(string segment) =>
        _children is not null && _children.TryGetValue(segment, out var child) ? child : null;
}
