namespace Valkeyrie.Configuration.Internal;

/// <summary>
/// The child-key index: a trie with one node per configuration path that has keys at or below it, so listing a
/// path's children costs O(children) however many other keys there are. A segment is a slice of the key that
/// created it (no string of its own); every key with no children below it shares one leaf node. Nodes follow the
/// same ownership rule as <see cref="MapNode{TKey, TValue}"/>: changed in place only by the token that owns them.
/// </summary>
internal sealed class PathNode
{
    /// <summary>The root of an empty index.</summary>
    internal static readonly PathNode Empty = new(null, default, false);

    private static readonly PathNode KeyLeaf = new(null, default, true);
    private static readonly Func<ReadOnlyMemory<char>, string> SegmentText = static segment => segment.ToString();

    private readonly object? _owner;

    private PathNode(object? owner, PersistentMap<ReadOnlyMemory<char>, PathNode, SegmentKey> children, bool isKey)
    {
        _owner = owner;
        Children = children;
        IsKey = isKey;
    }

    private PersistentMap<ReadOnlyMemory<char>, PathNode, SegmentKey> Children { get; set; }

    /// <summary>Whether this path is itself a configuration key (it may also have children).</summary>
    private bool IsKey { get; set; }

    /// <summary>Records <paramref name="key"/> and every path above it; returns the new root.</summary>
    public static PathNode AddKey(PathNode root, string key, object owner) => Add(root, key, 0, owner);

    /// <summary>Forgets <paramref name="key"/> and the paths above it that nothing else keeps; returns the new root.</summary>
    public static PathNode RemoveKey(PathNode root, string key, object owner) => Remove(root, key, 0, owner);

    /// <summary>
    /// Builds the trie of <paramref name="keys"/> in bulk (a full load): every path is numbered once through one
    /// dictionary, then each node is built once at its final size, children before parents.
    /// </summary>
    public static PathNode Create(IReadOnlyList<string> keys, object owner)
    {
        // A path's number is always greater than its parent's, so building from the highest number down meets
        // every child before its parent.
        var numbers = new Dictionary<(int Parent, ReadOnlyMemory<char> Segment), int>(keys.Count * 2, PathComparer.Instance);
        var parents = new List<int>(keys.Count * 2) { -1 };
        var segments = new List<ReadOnlyMemory<char>>(keys.Count * 2) { default };
        var isKey = new List<bool>(keys.Count * 2) { false };

        // Keys arrive mostly sorted, so the previous key's path usually shares its first levels: those are reused
        // without a lookup.
        var previous = new List<(ReadOnlyMemory<char> Segment, int Number)>();
        foreach (var key in keys)
        {
            var parent = 0;
            var start = 0;
            var depth = 0;
            var sharing = true;
            while (true)
            {
                var end = key.IndexOf(':', start);
                var segment = end < 0 ? key.AsMemory(start) : key.AsMemory(start, end - start);
                sharing = sharing && depth < previous.Count && SegmentKey.Equal(previous[depth].Segment, segment);
                int number;
                if (sharing)
                {
                    number = previous[depth].Number;
                    segments[number] = Spelling(segments[number], segment);
                }
                else if (numbers.TryGetValue((parent, segment), out number))
                {
                    segments[number] = Spelling(segments[number], segment);
                }
                else
                {
                    number = parents.Count;
                    numbers.Add((parent, segment), number);
                    parents.Add(parent);
                    segments.Add(segment);
                    isKey.Add(false);
                }

                if (depth < previous.Count)
                {
                    previous[depth] = (segment, number);
                }
                else
                {
                    previous.Add((segment, number));
                }

                depth++;
                if (end < 0)
                {
                    isKey[number] = true;
                    previous.RemoveRange(depth, previous.Count - depth);
                    break;
                }

                parent = number;
                start = end + 1;
            }
        }

        // Children grouped by parent (a counting sort), then nodes from the deepest numbers up.
        var count = parents.Count;
        var firstChild = new int[count + 1];
        for (var number = 1; number < count; number++)
        {
            firstChild[parents[number] + 1]++;
        }

        for (var number = 0; number < count; number++)
        {
            firstChild[number + 1] += firstChild[number];
        }

        var children = new int[count];
        var next = (int[])firstChild.Clone();
        for (var number = 1; number < count; number++)
        {
            children[next[parents[number]]++] = number;
        }

        var nodes = new PathNode[count];
        var items = new List<KeyValuePair<ReadOnlyMemory<char>, PathNode>>();
        for (var number = count - 1; number >= 0; number--)
        {
            if (firstChild[number] == firstChild[number + 1])
            {
                nodes[number] = number == 0 ? Empty : KeyLeaf;
                continue;
            }

            items.Clear();
            for (var i = firstChild[number]; i < firstChild[number + 1]; i++)
            {
                items.Add(new(segments[children[i]], nodes[children[i]]));
            }

            nodes[number] = new PathNode(owner, PersistentMap<ReadOnlyMemory<char>, PathNode, SegmentKey>.Create(items, merge: null, owner), isKey[number]);
        }

        return nodes[0];
    }

    /// <summary>
    /// Adds the child segments of <paramref name="parentPath"/> (<see langword="null"/> for the root) to <paramref name="names"/>,
    /// in no particular order. As in the stock provider, <c>""</c> is the path of keys that start with <c>:</c>, not the root.
    /// </summary>
    public void AddChildrenTo(List<string> names, string? parentPath)
    {
        var node = this;
        if (parentPath is not null)
        {
            var start = 0;
            while (true)
            {
                var end = parentPath.IndexOf(':', start);
                var segment = end < 0 ? parentPath.AsMemory(start) : parentPath.AsMemory(start, end - start);
                if (!node.Children.TryGetValue(segment, out node!))
                {
                    return;
                }

                if (end < 0)
                {
                    break;
                }

                start = end + 1;
            }
        }

        node.Children.AddKeysTo(names, SegmentText);
    }

    private static ReadOnlyMemory<char> Spelling(ReadOnlyMemory<char> kept, ReadOnlyMemory<char> added) =>
        added.Span.SequenceCompareTo(kept.Span) > 0 ? added : kept;

    private PathNode Editable(object owner) => ReferenceEquals(_owner, owner) ? this : new(owner, Children, IsKey);

    private static PathNode Add(PathNode node, string key, int start, object owner)
    {
        var end = key.IndexOf(':', start);
        var segment = end < 0 ? key.AsMemory(start) : key.AsMemory(start, end - start);
        var hash = PersistentMap<ReadOnlyMemory<char>, PathNode, SegmentKey>.Hash(segment);
        var found = node.Children.TryGetEntry(segment, hash, out var entry);
        var child = entry.Value;
        var respelled = found && !Spelling(entry.Key, segment).Equals(entry.Key);
        PathNode changed;
        if (end >= 0)
        {
            changed = Add(found ? child : new PathNode(owner, default, false), key, end + 1, owner);
        }
        else if (!found)
        {
            changed = KeyLeaf;
        }
        else if (child.IsKey)
        {
            changed = child;
        }
        else
        {
            changed = child.Editable(owner);
            changed.IsKey = true;
        }

        if (found && ReferenceEquals(changed, child) && !respelled)
        {
            return node;
        }

        // A segment that differs only in case keeps the ordinal-greatest spelling: the spelling of the key whose
        // value wins (Contribution), and what sections read from the same pairs report (KvTreeNode).
        var edited = node.Editable(owner);
        var children = respelled ? edited.Children.Remove(segment, hash, owner) : edited.Children;
        edited.Children = children.SetItem(respelled ? segment : found ? entry.Key : segment, hash, changed, owner);
        return edited;
    }

    private static PathNode Remove(PathNode node, string key, int start, object owner)
    {
        var end = key.IndexOf(':', start);
        var segment = end < 0 ? key.AsMemory(start) : key.AsMemory(start, end - start);
        var hash = PersistentMap<ReadOnlyMemory<char>, PathNode, SegmentKey>.Hash(segment);
        if (!node.Children.TryGetValue(segment, hash, out var child))
        {
            return node;
        }

        PathNode? changed;
        if (end >= 0)
        {
            changed = Remove(child, key, end + 1, owner);
        }
        else
        {
            changed = child.Editable(owner);
            changed.IsKey = false;
        }

        if (changed.Children.Count == 0 && !changed.IsKey)
        {
            // Nothing is at or below this path any more: the parent forgets it.
            changed = null;
        }
        else if (ReferenceEquals(changed, child))
        {
            return node;
        }

        var edited = node.Editable(owner);
        edited.Children = changed is null
            ? edited.Children.Remove(segment, hash, owner)
            : edited.Children.SetItem(segment, hash, changed, owner);
        return edited;
    }

    private sealed class PathComparer : IEqualityComparer<(int Parent, ReadOnlyMemory<char> Segment)>
    {
        public static readonly PathComparer Instance = new();

        public bool Equals((int Parent, ReadOnlyMemory<char> Segment) x, (int Parent, ReadOnlyMemory<char> Segment) y) =>
            x.Parent == y.Parent && SegmentKey.Equal(x.Segment, y.Segment);

        public int GetHashCode((int Parent, ReadOnlyMemory<char> Segment) path) => HashCode.Combine(path.Parent, SegmentKey.Hash(path.Segment));
    }
}
