using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;

namespace Valkeyrie.ZooKeeper.Protocol;

/// <summary>
/// One TCP connection to a ZooKeeper server after the session handshake. Requests are pipelined: each gets the next
/// xid and is queued in the order it was written, and since the server answers in order, each reply completes the
/// oldest pending request. Notifications, pings and auth replies carry reserved xids and go to <see cref="_special"/>.
/// </summary>
internal sealed class ZkConnection : IAsyncDisposable
{
    // A frame larger than this is a corrupt stream, not a reply (jute.maxbuffer is about 1 MiB by default).
    private const int MaxFrameBytes = 64 * 1024 * 1024;

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Queue<Pending> _pending = new();
    private readonly Action<int, ZkErrorCode, JuteReader> _special;
    private readonly CancellationTokenSource _closed = new();
    private Task _receiving = Task.CompletedTask;
    private Exception? _failure;
    private int _xid;
    private long _lastReceived = Stopwatch.GetTimestamp();

    private ZkConnection(TcpClient tcp, string endpoint, Action<int, ZkErrorCode, JuteReader> special)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        Endpoint = endpoint;
        _special = special;
    }

    public string Endpoint { get; }

    /// <summary>Completes when the connection is closed or broken.</summary>
    public Task Completion => _receiving;

    public CancellationToken Closed => _closed.Token;

    /// <summary>How long since the server last sent anything.</summary>
    public TimeSpan SinceLastReceive => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastReceived));

    /// <summary>Connects and performs the session handshake (ConnectRequest/ConnectResponse).</summary>
    public static async Task<(ZkConnection Connection, ZkHandshake Handshake)> OpenAsync(
        string host, int port, ZkHandshake request, long lastZxid, Action<int, ZkErrorCode, JuteReader> special, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            var connection = new ZkConnection(tcp, $"{host}:{port}", special);
            var connect = new JuteWriter()
                .Int(0)
                .Long(lastZxid)
                .Int((int)request.Timeout.TotalMilliseconds)
                .Long(request.SessionId)
                .Buffer(request.Password)
                .Bool(false);
            await connection._stream.WriteAsync(connect.ToFrame(), cancellationToken).ConfigureAwait(false);
            var reply = new JuteReader(await connection.ReadFrameAsync(cancellationToken).ConfigureAwait(false));
            reply.Int(); // protocol version
            var timeout = reply.Int();
            var sessionId = reply.Long();
            var password = reply.Buffer();
            var handshake = new ZkHandshake(sessionId, password, TimeSpan.FromMilliseconds(Math.Max(timeout, 0)));
            connection._receiving = Task.Run(connection.ReceiveLoopAsync, CancellationToken.None);
            return (connection, handshake);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Sends a request with the next xid and returns its reply (the error code is not checked here).</summary>
    public async Task<ZkReply> SendAsync(ZkOpCode op, Action<JuteWriter>? body, CancellationToken cancellationToken)
    {
        var pending = new Pending();
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfFailed();
            var writer = new JuteWriter().Int(++_xid).Int((int)op);
            body?.Invoke(writer);
            pending.Xid = _xid;
            lock (_pending)
            {
                _pending.Enqueue(pending);
            }

            // Not cancellable: a half-written frame would corrupt the stream for every other request.
            await WriteAsync(writer.ToFrame()).ConfigureAwait(false);
            if (Volatile.Read(ref _failure) is not null)
            {
                FailPending(); // aborted while this request was being queued
            }
        }
        finally
        {
            _writeLock.Release();
        }

        return await pending.Reply.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a frame with a reserved xid (ping, auth) whose reply goes to the special handler.</summary>
    public async Task SendSpecialAsync(int xid, ZkOpCode op, Action<JuteWriter>? body)
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            ThrowIfFailed();
            var writer = new JuteWriter().Int(xid).Int((int)op);
            body?.Invoke(writer);
            await WriteAsync(writer.ToFrame()).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Breaks the connection: every pending request fails with <paramref name="reason"/>.</summary>
    public void Abort(Exception reason)
    {
        if (Interlocked.CompareExchange(ref _failure, reason, null) is null)
        {
            _closed.Cancel();
        }

        _tcp.Dispose();
        FailPending();
    }

    public async ValueTask DisposeAsync()
    {
        Abort(new ZkException(ZkErrorCode.ConnectionLoss, null, "the connection was closed"));
        try
        {
            await _receiving.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException or OperationCanceledException or ZkException or InvalidDataException)
        {
            // The receive loop ends with the failure that closed it; nothing more to report.
        }

        _closed.Dispose();
        _writeLock.Dispose();
    }

    private async Task WriteAsync(byte[] frame)
    {
        try
        {
            await _stream.WriteAsync(frame).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            var failure = new ZkException(ZkErrorCode.ConnectionLoss, null, $"writing to {Endpoint} failed", e);
            Abort(failure);
            throw failure;
        }
    }

    private void ThrowIfFailed()
    {
        if (Volatile.Read(ref _failure) is { } failure)
        {
            throw failure as ZkException ?? new ZkException(ZkErrorCode.ConnectionLoss, null, failure.Message, failure);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (true)
            {
                var frame = await ReadFrameAsync(_closed.Token).ConfigureAwait(false);
                Interlocked.Exchange(ref _lastReceived, Stopwatch.GetTimestamp());
                var reader = new JuteReader(frame);
                var xid = reader.Int();
                var zxid = reader.Long();
                var error = (ZkErrorCode)reader.Int();
                if (xid < 0)
                {
                    _special(xid, error, reader);
                    continue;
                }

                Pending? pending;
                lock (_pending)
                {
                    _pending.TryDequeue(out pending);
                }

                if (pending is null || pending.Xid != xid)
                {
                    throw new InvalidDataException($"{Endpoint} answered request {xid}, but {pending?.Xid.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"} was next.");
                }

                pending.Reply.TrySetResult(new ZkReply(zxid, error, reader));
            }
        }
        catch (Exception e)
        {
            Abort(e is ZkException ? e : new ZkException(ZkErrorCode.ConnectionLoss, null, $"the connection to {Endpoint} was lost ({e.GetType().Name}: {e.Message})", e));
        }
    }

    private async Task<byte[]> ReadFrameAsync(CancellationToken cancellationToken)
    {
        var header = new byte[4];
        await _stream.ReadExactlyAsync(header, cancellationToken).ConfigureAwait(false);
        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length is < 0 or > MaxFrameBytes)
        {
            throw new InvalidDataException($"{Endpoint} sent a frame of {length} bytes; this is not a ZooKeeper server or the stream is corrupt.");
        }

        var frame = new byte[length];
        await _stream.ReadExactlyAsync(frame, cancellationToken).ConfigureAwait(false);
        return frame;
    }

    private void FailPending()
    {
        var failure = Volatile.Read(ref _failure) ?? new ZkException(ZkErrorCode.ConnectionLoss, null);
        List<Pending> failed;
        lock (_pending)
        {
            failed = [.. _pending];
            _pending.Clear();
        }

        foreach (var pending in failed)
        {
            pending.Reply.TrySetException(failure);
        }
    }

    private sealed class Pending
    {
        public int Xid { get; set; }

        public TaskCompletionSource<ZkReply> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>The session part of a handshake: id, password and (negotiated) timeout; a zero timeout means expired.</summary>
internal sealed record ZkHandshake(long SessionId, byte[] Password, TimeSpan Timeout);
