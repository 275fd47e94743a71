using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Valkeyrie.ZooKeeper.Protocol;

/// <summary>
/// Writes ZooKeeper's jute encoding: big-endian integers, one-byte booleans, and strings and buffers prefixed by
/// their length (-1 for null). The first four bytes are reserved for the frame length, filled in by <see cref="ToFrame"/>.
/// </summary>
internal sealed class JuteWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public JuteWriter() => Int(0);

    public JuteWriter Int(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
        return this;
    }

    public JuteWriter Long(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
        return this;
    }

    public JuteWriter Bool(bool value)
    {
        _buffer.GetSpan(1)[0] = value ? (byte)1 : (byte)0;
        _buffer.Advance(1);
        return this;
    }

    public JuteWriter Byte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
        return this;
    }

    public JuteWriter Buffer(ReadOnlySpan<byte> value)
    {
        Int(value.Length);
        _buffer.Write(value);
        return this;
    }

    public JuteWriter String(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        Int(length);
        Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length));
        _buffer.Advance(length);
        return this;
    }

    public JuteWriter Strings(IReadOnlyCollection<string> values)
    {
        Int(values.Count);
        foreach (var value in values)
        {
            String(value);
        }

        return this;
    }

    public JuteWriter Acls(IReadOnlyList<ZkAcl> acls)
    {
        Int(acls.Count);
        foreach (var acl in acls)
        {
            Int((int)acl.Permissions).String(acl.Scheme).String(acl.Id);
        }

        return this;
    }

    /// <summary>The bytes written, without the length prefix (for records stored in node data).</summary>
    public byte[] ToBody() => _buffer.WrittenSpan[4..].ToArray();

    /// <summary>The finished frame: the body prefixed by its length.</summary>
    public byte[] ToFrame()
    {
        var frame = _buffer.WrittenSpan.ToArray();
        BinaryPrimitives.WriteInt32BigEndian(frame, frame.Length - 4);
        return frame;
    }
}
