using System.Buffers.Binary;
using System.Text;

namespace Valkeyrie.ZooKeeper.Protocol;

/// <summary>Reads ZooKeeper's jute encoding from one received frame (see <see cref="JuteWriter"/>).</summary>
internal sealed class JuteReader(ReadOnlyMemory<byte> data)
{
    private int _position;

    public bool AtEnd => _position >= data.Length;

    public int Int()
    {
        var value = BinaryPrimitives.ReadInt32BigEndian(Take(4));
        return value;
    }

    public long Long() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    public bool Bool() => Take(1)[0] != 0;

    public byte[] Buffer()
    {
        var length = Int();
        return length <= 0 ? [] : Take(length).ToArray();
    }

    public string String()
    {
        var length = Int();
        return length <= 0 ? string.Empty : Encoding.UTF8.GetString(Take(length));
    }

    public List<string> Strings()
    {
        var count = Int();
        var values = new List<string>(Math.Max(count, 0));
        for (var i = 0; i < count; i++)
        {
            values.Add(String());
        }

        return values;
    }

    public ZkStat Stat() => new(
        Czxid: Long(),
        Mzxid: Long(),
        Ctime: Long(),
        Mtime: Long(),
        Version: Int(),
        Cversion: Int(),
        Aversion: Int(),
        EphemeralOwner: Long(),
        DataLength: Int(),
        NumChildren: Int(),
        Pzxid: Long());

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || _position + count > data.Length)
        {
            throw new InvalidDataException($"A ZooKeeper reply ended early: wanted {count} bytes at offset {_position} of {data.Length}.");
        }

        var span = data.Span.Slice(_position, count);
        _position += count;
        return span;
    }
}
