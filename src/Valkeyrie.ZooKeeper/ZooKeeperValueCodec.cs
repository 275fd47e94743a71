namespace Valkeyrie.ZooKeeper;

/// <summary>
/// Node data ↔ values. A node with no data is an implicit parent (created so a deeper key can exist, or a plain
/// ZooKeeper "directory") and is not a key. A key's value is stored as is, so operators can read and edit it with
/// zkCli, except when it is empty or starts with a zero byte: then a zero byte is prepended.
/// </summary>
internal static class ZooKeeperValueCodec
{
    private const byte Escape = 0;

    public static byte[] Encode(ReadOnlySpan<byte> value)
    {
        if (value.Length > 0 && value[0] != Escape)
        {
            return value.ToArray();
        }

        var data = new byte[value.Length + 1];
        value.CopyTo(data.AsSpan(1));
        return data;
    }

    public static bool IsKey(ReadOnlySpan<byte> data) => data.Length > 0;

    public static byte[] Decode(byte[] data) => data.Length > 0 && data[0] == Escape ? data[1..] : data;
}
