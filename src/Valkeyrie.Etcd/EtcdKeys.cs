using Etcdserverpb;
using Google.Protobuf;
using Mvccpb;
using Valkeyrie.Backends;

namespace Valkeyrie.Etcd;

/// <summary>
/// How canonical keys map to etcd: a key <c>a/b</c> is the etcd key <c>a/b</c> (UTF-8), so etcdctl shows the same
/// data. A tree <c>a</c> is the segment-aware range <c>[a/, a0)</c> (<c>'0'</c> follows <c>'/'</c>), never <c>abc</c>.
/// The whole store is every key except the reserved <c>_valkeyrie/</c> records.
/// </summary>
internal static class EtcdKeys
{
    private static readonly ByteString AllKeys = ByteString.CopyFrom(0);

    /// <summary>The etcd records of lock waiters: <c>_valkeyrie/locks/&lt;key&gt;</c>.</summary>
    public static string LockQueue(string key) => $"{KvKeys.ReservedSegment}/locks/{key}";

    public static ByteString Bytes(string key) => ByteString.CopyFromUtf8(key);

    /// <summary>A range request for a key or a tree, at the consistency the caller asked for.</summary>
    public static RangeRequest Range(KvScope scope, KvReadOptions options)
    {
        var request = new RangeRequest { Serializable = !options.Consistent };
        (request.Key, request.RangeEnd) = Bounds(scope);
        return request;
    }

    /// <summary>The etcd key and range end covering a scope (range end empty for a single key).</summary>
    public static (ByteString Key, ByteString RangeEnd) Bounds(KvScope scope) => scope switch
    {
        { IsTree: false } => (Bytes(scope.Key), ByteString.Empty),
        { Key.Length: 0 } => (AllKeys, AllKeys),
        _ => (Bytes(KvKeys.DescendantPrefix(scope.Key)), Bytes(scope.Key + (char)(KvKeys.Separator + 1))),
    };

    /// <summary>
    /// Deletes of a prefix key and its descendants (or of every user key for the root) that leave the reserved records
    /// alone: the root is deleted as the two ranges around <c>_valkeyrie/</c>.
    /// </summary>
    public static IEnumerable<DeleteRangeRequest> DeleteTree(string prefix)
    {
        if (prefix.Length == 0)
        {
            var reserved = KvKeys.DescendantPrefix(KvKeys.ReservedSegment);
            yield return new DeleteRangeRequest { Key = AllKeys, RangeEnd = Bytes(reserved) };
            yield return new DeleteRangeRequest { Key = Bytes(KvKeys.ReservedSegment + (char)(KvKeys.Separator + 1)), RangeEnd = AllKeys };
            yield break;
        }

        yield return new DeleteRangeRequest { Key = Bytes(prefix) };
        var (key, rangeEnd) = Bounds(KvScope.ForTree(prefix));
        yield return new DeleteRangeRequest { Key = key, RangeEnd = rangeEnd };
    }

    /// <summary>
    /// Whether an etcd key read through a scope belongs to it: the root range also holds reserved records, and a key
    /// written natively that is not canonical (<c>/app/db/Port</c>, <c>app/db/</c>, <c>app//db</c>) is hidden from
    /// reads, lists and watches alike, so running and new instances agree (docs/operators.md).
    /// </summary>
    public static bool IsVisible(KvScope scope, string key) => scope.Contains(key) && KvKeys.IsCanonical(key);

    public static KvPair ToPair(KeyValue kv) => new(kv.Key.ToStringUtf8(), kv.Value.Memory, (ulong)kv.ModRevision);

    /// <summary>The pairs of a range that belong to the scope, sorted ordinally (etcd sorts by bytes, which differs for some characters).</summary>
    public static List<KvPair> ToPairs(KvScope scope, IEnumerable<KeyValue> kvs)
    {
        var pairs = new List<KvPair>();
        foreach (var kv in kvs)
        {
            var pair = ToPair(kv);
            if (IsVisible(scope, pair.Key))
            {
                pairs.Add(pair);
            }
        }

        pairs.Sort((a, b) => KvKeys.Comparer.Compare(a.Key, b.Key));
        return pairs;
    }
}
