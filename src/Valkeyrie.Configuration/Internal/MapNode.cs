using System.Numerics;

namespace Valkeyrie.Configuration.Internal;

/// <summary>
/// A node of <see cref="PersistentMap{TKey, TValue, TComparer}"/> (a CHAMP hash trie): up to 32 slots, each an entry
/// (<see cref="DataMap"/>) or a child node (<see cref="NodeMap"/>), chosen by 5 bits of the key's hash per level.
/// Below the last level (all 32 bits used) a node is a collision list: only <see cref="Data"/>, in no order.
/// A node whose <see cref="Owner"/> is the editing token may be changed in place (a transient edit, as in a bulk
/// load); every other node is frozen and is copied before a change, so published versions never change.
/// An owned node never shares its arrays with another node.
/// </summary>
internal sealed class MapNode<TKey, TValue>
{
    internal static readonly MapNode<TKey, TValue> Empty = new(null, 0, 0, [], []);

    internal MapNode(object? owner, uint dataMap, uint nodeMap, KeyValuePair<TKey, TValue>[] data, MapNode<TKey, TValue>[] nodes)
    {
        Owner = owner;
        DataMap = dataMap;
        NodeMap = nodeMap;
        Data = data;
        Nodes = nodes;
    }

    internal object? Owner { get; }

    internal uint DataMap { get; private set; }

    internal uint NodeMap { get; private set; }

    internal KeyValuePair<TKey, TValue>[] Data { get; private set; }

    internal MapNode<TKey, TValue>[] Nodes { get; private set; }

    internal bool IsOwnedBy(object? owner) => owner is not null && ReferenceEquals(Owner, owner);

    internal static int Index(uint map, uint bit) => BitOperations.PopCount(map & (bit - 1));

    /// <summary>This node, if owned, or a copy with its own arrays that <paramref name="owner"/> may write in place.</summary>
    internal MapNode<TKey, TValue> Editable(object? owner) =>
        IsOwnedBy(owner) ? this : new(owner, DataMap, NodeMap, (KeyValuePair<TKey, TValue>[])Data.Clone(), (MapNode<TKey, TValue>[])Nodes.Clone());

    /// <summary>This node changed in place when owned, else a new node.</summary>
    internal MapNode<TKey, TValue> With(object? owner, uint dataMap, uint nodeMap, KeyValuePair<TKey, TValue>[] data, MapNode<TKey, TValue>[] nodes)
    {
        if (!IsOwnedBy(owner))
        {
            // The copy must not share an array with this frozen node, or a later in-place edit would change both.
            return new(owner, dataMap, nodeMap, Fresh(data, Data), Fresh(nodes, Nodes));
        }

        DataMap = dataMap;
        NodeMap = nodeMap;
        Data = data;
        Nodes = nodes;
        return this;
    }

    private static T[] Fresh<T>(T[] array, T[] own) => array.Length > 0 && ReferenceEquals(array, own) ? (T[])array.Clone() : array;

    internal static T[] Insert<T>(T[] array, int index, T item)
    {
        var result = new T[array.Length + 1];
        Array.Copy(array, result, index);
        result[index] = item;
        Array.Copy(array, index, result, index + 1, array.Length - index);
        return result;
    }

    internal static T[] RemoveAt<T>(T[] array, int index)
    {
        if (array.Length == 1)
        {
            return [];
        }

        var result = new T[array.Length - 1];
        Array.Copy(array, result, index);
        Array.Copy(array, index + 1, result, index, array.Length - index - 1);
        return result;
    }
}
