namespace Valkeyrie.Configuration.Internal;

/// <summary>
/// An immutable hash map (a CHAMP trie of <see cref="MapNode{TKey, TValue}"/>) that shares structure between versions.
/// A change copies only the nodes on one key's path (O(log32 n)); with an <c>owner</c> token it changes the nodes that
/// token already owns in place, so a bulk load costs about what a plain dictionary costs, and a later change under a
/// new token copies again. A value of this type never changes: the changed map is returned.
/// </summary>
internal readonly struct PersistentMap<TKey, TValue, TComparer>
    where TComparer : IKeyComparer<TKey>
{
    private const int HashBits = 32;
    private const int BitsPerLevel = 5;
    private readonly MapNode<TKey, TValue>? _root;

    private PersistentMap(MapNode<TKey, TValue>? root, int count)
    {
        _root = root;
        Count = count;
    }

    public int Count { get; }

    public static int Hash(TKey key) => TComparer.Hash(key);

    public bool TryGetValue(TKey key, out TValue value) => TryGetValue(key, TComparer.Hash(key), out value);

    /// <summary>Looks a key up with its precomputed <see cref="Hash"/>.</summary>
    public bool TryGetValue(TKey key, int hash, out TValue value)
    {
        var found = TryGetEntry(key, hash, out var entry);
        value = entry.Value;
        return found;
    }

    /// <summary>Looks a key up and returns the entry as stored, with the key's stored spelling.</summary>
    public bool TryGetEntry(TKey key, int hash, out KeyValuePair<TKey, TValue> found)
    {
        var node = _root;
        var bits = (uint)hash;
        for (var shift = 0; node is not null; shift += BitsPerLevel)
        {
            if (shift >= HashBits)
            {
                foreach (var entry in node.Data)
                {
                    if (TComparer.Equal(entry.Key, key))
                    {
                        found = entry;
                        return true;
                    }
                }

                break;
            }

            var bit = 1u << (int)((bits >> shift) & 31);
            if ((node.DataMap & bit) != 0)
            {
                var entry = node.Data[MapNode<TKey, TValue>.Index(node.DataMap, bit)];
                if (TComparer.Equal(entry.Key, key))
                {
                    found = entry;
                    return true;
                }

                break;
            }

            node = (node.NodeMap & bit) != 0 ? node.Nodes[MapNode<TKey, TValue>.Index(node.NodeMap, bit)] : null;
        }

        found = default;
        return false;
    }

    /// <summary>
    /// Builds a map from <paramref name="items"/> in one pass over their hashes (sorted), allocating every node once at
    /// its final size: the bulk path of a full load. Equal keys are combined with <paramref name="merge"/> (the later
    /// value wins when it is null).
    /// </summary>
    public static PersistentMap<TKey, TValue, TComparer> Create(List<KeyValuePair<TKey, TValue>> items, Func<TValue, TValue, TValue>? merge, object? owner)
    {
        var count = items.Count;
        if (count <= 1)
        {
            return count == 0 ? default : default(PersistentMap<TKey, TValue, TComparer>).SetItem(items[0].Key, items[0].Value, owner);
        }

        var order = new uint[count];
        var positions = new int[count];
        for (var i = 0; i < count; i++)
        {
            order[i] = TrieOrder((uint)TComparer.Hash(items[i].Key));
            positions[i] = i;
        }

        Array.Sort(order, positions);
        var entries = new KeyValuePair<TKey, TValue>[count];
        var unique = 0;
        for (var i = 0; i < count; i++)
        {
            var item = items[positions[i]];
            var same = unique - 1;
            while (same >= 0 && order[same] == order[i] && !TComparer.Equal(entries[same].Key, item.Key))
            {
                same--;
            }

            if (same >= 0 && order[same] == order[i])
            {
                var kept = entries[same];
                entries[same] = new(kept.Key, merge is null ? item.Value : merge(kept.Value, item.Value));
                continue;
            }

            entries[unique] = item;
            order[unique] = order[i];
            unique++;
        }

        return new(Build(entries, order, 0, unique, 0, owner), unique);
    }

    public PersistentMap<TKey, TValue, TComparer> SetItem(TKey key, TValue value, object? owner) => SetItem(key, TComparer.Hash(key), value, owner);

    /// <summary>Adds or replaces a value (a replaced entry keeps its original key); nodes owned by <paramref name="owner"/> change in place.</summary>
    public PersistentMap<TKey, TValue, TComparer> SetItem(TKey key, int hash, TValue value, object? owner)
    {
        var added = false;
        var root = Set(_root ?? MapNode<TKey, TValue>.Empty, new(key, value), (uint)hash, 0, owner, ref added);
        return new(root, added ? Count + 1 : Count);
    }

    public PersistentMap<TKey, TValue, TComparer> Remove(TKey key, object? owner) => Remove(key, TComparer.Hash(key), owner);

    /// <summary>Removes a key if present; nodes owned by <paramref name="owner"/> change in place.</summary>
    public PersistentMap<TKey, TValue, TComparer> Remove(TKey key, int hash, object? owner)
    {
        if (_root is null)
        {
            return this;
        }

        var removed = false;
        var root = Remove(_root, key, (uint)hash, 0, owner, ref removed);
        return removed ? new(root, Count - 1) : this;
    }

    /// <summary>Every entry, in no particular order.</summary>
    public IEnumerable<KeyValuePair<TKey, TValue>> Enumerate()
    {
        if (_root is null)
        {
            yield break;
        }

        var pending = new Stack<MapNode<TKey, TValue>>();
        pending.Push(_root);
        while (pending.TryPop(out var node))
        {
            foreach (var entry in node.Data)
            {
                yield return entry;
            }

            foreach (var child in node.Nodes)
            {
                pending.Push(child);
            }
        }
    }

    /// <summary>Adds every key to <paramref name="keys"/>, in no particular order, without an enumerator.</summary>
    public void AddKeysTo<TResult>(ICollection<TResult> keys, Func<TKey, TResult> convert)
    {
        if (_root is not null)
        {
            AddKeys(_root, keys, convert);
        }
    }

    private static void AddKeys<TResult>(MapNode<TKey, TValue> node, ICollection<TResult> keys, Func<TKey, TResult> convert)
    {
        foreach (var entry in node.Data)
        {
            keys.Add(convert(entry.Key));
        }

        foreach (var child in node.Nodes)
        {
            AddKeys(child, keys, convert);
        }
    }

    // The hash with its 5-bit slot numbers in trie order (level 0's slot in the top bits), so sorting by it groups
    // every subtree into one run, subtrees in slot order.
    private static uint TrieOrder(uint hash)
    {
        var order = hash >> 30;
        for (var level = 0; level < 6; level++)
        {
            order |= ((hash >> (level * BitsPerLevel)) & 31) << (27 - (level * BitsPerLevel));
        }

        return order;
    }

    private static uint Slot(uint order, int level) => level < 6 ? (order >> (27 - (level * BitsPerLevel))) & 31 : order & 3;

    private static MapNode<TKey, TValue> Build(KeyValuePair<TKey, TValue>[] entries, uint[] order, int start, int end, int level, object? owner)
    {
        if (level * BitsPerLevel >= HashBits)
        {
            return new(owner, 0, 0, entries[start..end], []);
        }

        var dataCount = 0;
        var nodeCount = 0;
        for (var i = start; i < end;)
        {
            var next = RunEnd(order, i, end, level);
            if (next - i == 1)
            {
                dataCount++;
            }
            else
            {
                nodeCount++;
            }

            i = next;
        }

        var data = dataCount == 0 ? [] : new KeyValuePair<TKey, TValue>[dataCount];
        var nodes = nodeCount == 0 ? [] : new MapNode<TKey, TValue>[nodeCount];
        uint dataMap = 0, nodeMap = 0;
        dataCount = nodeCount = 0;
        for (var i = start; i < end;)
        {
            var next = RunEnd(order, i, end, level);
            var bit = 1u << (int)Slot(order[i], level);
            if (next - i == 1)
            {
                data[dataCount++] = entries[i];
                dataMap |= bit;
            }
            else
            {
                nodes[nodeCount++] = Build(entries, order, i, next, level + 1, owner);
                nodeMap |= bit;
            }

            i = next;
        }

        return new(owner, dataMap, nodeMap, data, nodes);
    }

    private static int RunEnd(uint[] order, int start, int end, int level)
    {
        var slot = Slot(order[start], level);
        var next = start + 1;
        while (next < end && Slot(order[next], level) == slot)
        {
            next++;
        }

        return next;
    }

    private static MapNode<TKey, TValue> Set(MapNode<TKey, TValue> node, KeyValuePair<TKey, TValue> item, uint hash, int shift, object? owner, ref bool added)
    {
        if (shift >= HashBits)
        {
            var existing = Array.FindIndex(node.Data, e => TComparer.Equal(e.Key, item.Key));
            if (existing >= 0)
            {
                var edited = node.Editable(owner);
                edited.Data[existing] = new(edited.Data[existing].Key, item.Value);
                return edited;
            }

            added = true;
            return node.With(owner, 0, 0, MapNode<TKey, TValue>.Insert(node.Data, node.Data.Length, item), []);
        }

        var bit = 1u << (int)((hash >> shift) & 31);
        if ((node.DataMap & bit) != 0)
        {
            var index = MapNode<TKey, TValue>.Index(node.DataMap, bit);
            var current = node.Data[index];
            if (TComparer.Equal(current.Key, item.Key))
            {
                var edited = node.Editable(owner);
                edited.Data[index] = new(current.Key, item.Value);
                return edited;
            }

            // Two keys share this slot: push both one level down.
            added = true;
            var merged = Merge(current, (uint)TComparer.Hash(current.Key), item, hash, shift + BitsPerLevel, owner);
            return node.With(
                owner,
                node.DataMap ^ bit,
                node.NodeMap | bit,
                MapNode<TKey, TValue>.RemoveAt(node.Data, index),
                MapNode<TKey, TValue>.Insert(node.Nodes, MapNode<TKey, TValue>.Index(node.NodeMap, bit), merged));
        }

        if ((node.NodeMap & bit) != 0)
        {
            var index = MapNode<TKey, TValue>.Index(node.NodeMap, bit);
            var child = node.Nodes[index];
            var changed = Set(child, item, hash, shift + BitsPerLevel, owner, ref added);
            if (ReferenceEquals(changed, child))
            {
                return node;
            }

            var edited = node.Editable(owner);
            edited.Nodes[index] = changed;
            return edited;
        }

        added = true;
        return node.With(
            owner,
            node.DataMap | bit,
            node.NodeMap,
            MapNode<TKey, TValue>.Insert(node.Data, MapNode<TKey, TValue>.Index(node.DataMap, bit), item),
            node.Nodes);
    }

    private static MapNode<TKey, TValue> Merge(
        KeyValuePair<TKey, TValue> first, uint firstHash, KeyValuePair<TKey, TValue> second, uint secondHash, int shift, object? owner)
    {
        if (shift >= HashBits)
        {
            return new(owner, 0, 0, [first, second], []);
        }

        var firstSlot = (firstHash >> shift) & 31;
        var secondSlot = (secondHash >> shift) & 31;
        if (firstSlot == secondSlot)
        {
            return new(owner, 0, 1u << (int)firstSlot, [], [Merge(first, firstHash, second, secondHash, shift + BitsPerLevel, owner)]);
        }

        return new(
            owner,
            (1u << (int)firstSlot) | (1u << (int)secondSlot),
            0,
            firstSlot < secondSlot ? [first, second] : [second, first],
            []);
    }

    private static MapNode<TKey, TValue> Remove(MapNode<TKey, TValue> node, TKey key, uint hash, int shift, object? owner, ref bool removed)
    {
        if (shift >= HashBits)
        {
            var existing = Array.FindIndex(node.Data, e => TComparer.Equal(e.Key, key));
            if (existing < 0)
            {
                return node;
            }

            removed = true;
            return node.With(owner, 0, 0, MapNode<TKey, TValue>.RemoveAt(node.Data, existing), []);
        }

        var bit = 1u << (int)((hash >> shift) & 31);
        if ((node.DataMap & bit) != 0)
        {
            var index = MapNode<TKey, TValue>.Index(node.DataMap, bit);
            if (!TComparer.Equal(node.Data[index].Key, key))
            {
                return node;
            }

            removed = true;
            return node.With(owner, node.DataMap ^ bit, node.NodeMap, MapNode<TKey, TValue>.RemoveAt(node.Data, index), node.Nodes);
        }

        if ((node.NodeMap & bit) == 0)
        {
            return node;
        }

        var slot = MapNode<TKey, TValue>.Index(node.NodeMap, bit);
        var child = node.Nodes[slot];
        var changed = Remove(child, key, hash, shift + BitsPerLevel, owner, ref removed);
        if (!removed)
        {
            return node;
        }

        // Keep the trie canonical: a child left with one entry and no children moves that entry up here.
        if (changed.NodeMap == 0 && changed.Data.Length <= 1)
        {
            var nodes = MapNode<TKey, TValue>.RemoveAt(node.Nodes, slot);
            return changed.Data.Length == 0
                ? node.With(owner, node.DataMap, node.NodeMap ^ bit, node.Data, nodes)
                : node.With(
                    owner,
                    node.DataMap | bit,
                    node.NodeMap ^ bit,
                    MapNode<TKey, TValue>.Insert(node.Data, MapNode<TKey, TValue>.Index(node.DataMap, bit), changed.Data[0]),
                    nodes);
        }

        if (ReferenceEquals(changed, child))
        {
            return node;
        }

        var edited = node.Editable(owner);
        edited.Nodes[slot] = changed;
        return edited;
    }
}
