using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Valkeyrie.Testing.Tests;

/// <summary>
/// The few ZooKeeper wire-protocol requests the launcher test needs (connect, create, create with
/// TTL, get data, close), so the test exercises the server without a client library.
/// Jute encoding: big-endian integers, strings and buffers prefixed by their length, each packet by its size.
/// </summary>
internal sealed class RawZooKeeperSession : IAsyncDisposable
{
    private const int CreateOp = 1;
    private const int GetDataOp = 4;
    private const int CreateTtlOp = 21;
    private const int CloseOp = -11;
    private const int PersistentWithTtl = 5;
    private const int AllPermissions = 31;

    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private int _xid;

    private RawZooKeeperSession(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<RawZooKeeperSession> ConnectAsync(string host, int port)
    {
        var client = new TcpClient();
        await client.ConnectAsync(host, port);
        var session = new RawZooKeeperSession(client);
        var connect = new Packet().Int(0).Long(0).Int(10_000).Long(0).Buffer(new byte[16]).Bool(false);
        await session.SendAsync(connect);
        await session.ReceiveAsync(); // protocol version, timeout, session id, password: nothing the test needs
        return session;
    }

    public async Task CreateAsync(string path, string data, TimeSpan? ttl = null)
    {
        var request = Header(ttl is null ? CreateOp : CreateTtlOp)
            .String(path)
            .Buffer(Encoding.UTF8.GetBytes(data))
            .Int(1).Int(AllPermissions).String("world").String("anyone")
            .Int(ttl is null ? 0 : PersistentWithTtl);
        if (ttl is { } lifetime)
        {
            request.Long((long)lifetime.TotalMilliseconds);
        }

        await SendAsync(request);
        await ReceiveReplyAsync(path);
    }

    public async Task<string> GetDataAsync(string path)
    {
        await SendAsync(Header(GetDataOp).String(path).Bool(false));
        var reply = (await ReceiveReplyAsync(path)).Span;
        var length = BinaryPrimitives.ReadInt32BigEndian(reply);
        return Encoding.UTF8.GetString(reply.Slice(4, length));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await SendAsync(Header(CloseOp));
            await ReceiveAsync();
        }
        catch (IOException)
        {
            // The server is gone already; nothing to close.
        }
        finally
        {
            _client.Dispose();
        }
    }

    private Packet Header(int op) => new Packet().Int(++_xid).Int(op);

    private async Task SendAsync(Packet packet)
    {
        var body = packet.ToArray();
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, body.Length);
        body.CopyTo(frame, 4);
        await _stream.WriteAsync(frame);
    }

    private async Task<byte[]> ReceiveAsync()
    {
        var size = new byte[4];
        await _stream.ReadExactlyAsync(size);
        var body = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        await _stream.ReadExactlyAsync(body);
        return body;
    }

    // Reply header: xid (int), zxid (long), error (int); the response body follows.
    private async Task<ReadOnlyMemory<byte>> ReceiveReplyAsync(string path)
    {
        var reply = await ReceiveAsync();
        var error = BinaryPrimitives.ReadInt32BigEndian(reply.AsSpan(12));
        return error == 0
            ? reply.AsMemory(16)
            : throw new InvalidOperationException($"ZooKeeper replied with error code {error} for {path}");
    }

    private sealed class Packet
    {
        private readonly MemoryStream _bytes = new();

        public Packet Int(int value)
        {
            Span<byte> buffer = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(buffer, value);
            _bytes.Write(buffer);
            return this;
        }

        public Packet Long(long value)
        {
            Span<byte> buffer = stackalloc byte[8];
            BinaryPrimitives.WriteInt64BigEndian(buffer, value);
            _bytes.Write(buffer);
            return this;
        }

        public Packet Bool(bool value)
        {
            _bytes.WriteByte(value ? (byte)1 : (byte)0);
            return this;
        }

        public Packet Buffer(byte[] value)
        {
            Int(value.Length);
            _bytes.Write(value);
            return this;
        }

        public Packet String(string value) => Buffer(Encoding.UTF8.GetBytes(value));

        public byte[] ToArray() => _bytes.ToArray();
    }
}
