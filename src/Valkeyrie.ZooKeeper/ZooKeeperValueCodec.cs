using System.Buffers.Binary;

namespace Valkeyrie.ZooKeeper;

/// <summary>
/// Node data ↔ values. A node with no data is an implicit parent (created so a deeper key can exist, or a plain
/// ZooKeeper "directory") and is not a key. A key's value is stored as is, so operators can read and edit it with
/// zkCli, except when it is empty or starts with byte 0 or 1: then byte 0 is prepended. A TTL key starts with byte 1
/// and its TTL in milliseconds (8 bytes, big-endian), because ZooKeeper reports TTL nodes as persistent ones.
/// </summary>
internal static class ZooKeeperValueCodec
{
    private const byte Escape = 0;
    private const byte TtlMarker = 1;
    private const int TtlHeader = 9;

    public static byte[] Encode(ReadOnlySpan<byte> value, Durability durability)
    {
        if (durability.Kind == Protocol.ZkNodeKind.Ttl)
        {
            var withTtl = new byte[value.Length + TtlHeader];
            withTtl[0] = TtlMarker;
            BinaryPrimitives.WriteInt64BigEndian(withTtl.AsSpan(1), durability.TtlMilliseconds);
            value.CopyTo(withTtl.AsSpan(TtlHeader));
            return withTtl;
        }

        if (value.Length > 0 && value[0] > TtlMarker)
        {
            return value.ToArray();
        }

        var data = new byte[value.Length + 1];
        value.CopyTo(data.AsSpan(1));
        return data;
    }

    public static bool IsKey(ReadOnlySpan<byte> data) => data.Length > 0;

    public static byte[] Decode(byte[] data) => data switch
    {
        [Escape, ..] => data[1..],
        [TtlMarker, ..] when data.Length >= TtlHeader => data[TtlHeader..],
        _ => data,
    };

    /// <summary>The TTL recorded in a TTL key's data, or 0 for other keys.</summary>
    public static long TtlMilliseconds(ReadOnlySpan<byte> data) =>
        data.Length >= TtlHeader && data[0] == TtlMarker ? BinaryPrimitives.ReadInt64BigEndian(data[1..]) : 0;
}
