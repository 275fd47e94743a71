using System.Globalization;
using System.Threading.Channels;
using Valkeyrie.Backends;

namespace Valkeyrie.ZooKeeper.Protocol;

/// <summary>
/// An asynchronous client for ZooKeeper's binary protocol: one session kept over one connection at a time,
/// pipelined requests, pings at a third of the session timeout, reconnection to the next server within the session
/// (re-adding authentications and persistent watches), and a new session when the old one expired. Watch
/// notifications and connection state changes are delivered in order through <see cref="Notifications"/>.
/// Paths are relative to <see cref="ZkClientOptions.Chroot"/>.
/// </summary>
internal sealed class ZkClient : IAsyncDisposable
{
    private readonly ZkClientOptions _options;
    private readonly Channel<ZkNotification> _notifications = Channel.CreateUnbounded<ZkNotification>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _disposed = new();
    private readonly object _gate = new();
    private readonly HashSet<(string Path, ZkWatchMode Mode)> _watches = [];
    private readonly Task _loop;
    private TaskCompletionSource<ZkConnection> _connected = NewSignal();
    private ZkConnection? _current;
    private long _sessionId;
    private byte[] _password = new byte[16];
    private long _lastZxid;
    private bool _hadSession;
    private ZkException? _fatal;
    private int _nextEndpoint;

    public ZkClient(ZkClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Endpoints.Count == 0)
        {
            throw new ArgumentException("At least one ZooKeeper endpoint is required.", nameof(options));
        }

        _options = options;
        SessionTimeout = options.SessionTimeout;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Notifications and connection state changes, in order. One reader.</summary>
    public ChannelReader<ZkNotification> Notifications => _notifications.Reader;

    /// <summary>The current session's id (0 before the first handshake).</summary>
    public long SessionId => Interlocked.Read(ref _sessionId);

    /// <summary>The session timeout the server granted.</summary>
    public TimeSpan SessionTimeout { get; private set; }

    /// <summary>The highest zxid any reply carried: the client never goes back in time on reconnect.</summary>
    public long LastZxid => Interlocked.Read(ref _lastZxid);

    public bool IsConnected => Volatile.Read(ref _current) is not null;

    public ZkClientOptions Options => _options;

    /// <summary>Waits until a session is established (or the request timeout passes).</summary>
    public async Task WaitConnectedAsync(CancellationToken cancellationToken)
    {
        using var timeout = LinkedTimeout(cancellationToken);
        try
        {
            await ConnectionAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !_disposed.IsCancellationRequested)
        {
            throw NotConnected(null);
        }
    }

    public async Task<(string Path, ZkStat Stat)> CreateAsync(
        string path, ReadOnlyMemory<byte> data, IReadOnlyList<ZkAcl> acl, ZkCreateMode mode, long ttlMilliseconds, CancellationToken cancellationToken)
    {
        var op = new ZkOp.Create(path, data, acl, mode, ttlMilliseconds);
        var reply = await CallAsync(op.Code, path, w => op.WriteTo(w, Full), cancellationToken).ConfigureAwait(false);
        return (Strip(reply.Body.String()), reply.Body.Stat());
    }

    public Task DeleteAsync(string path, int version, CancellationToken cancellationToken) =>
        CallAsync(ZkOpCode.Delete, path, w => w.String(Full(path)).Int(version), cancellationToken);

    /// <summary>The node's stat, or <see langword="null"/> when it does not exist.</summary>
    public async Task<ZkStat?> ExistsAsync(string path, CancellationToken cancellationToken)
    {
        var reply = await CallAsync(ZkOpCode.Exists, path, w => w.String(Full(path)).Bool(false), cancellationToken, allowNoNode: true).ConfigureAwait(false);
        return reply.Error == ZkErrorCode.NoNode ? null : reply.Body.Stat();
    }

    /// <summary>The node's data and stat, or <see langword="null"/> when it does not exist.</summary>
    public async Task<(byte[] Data, ZkStat Stat)?> GetDataAsync(string path, CancellationToken cancellationToken)
    {
        var reply = await CallAsync(ZkOpCode.GetData, path, w => w.String(Full(path)).Bool(false), cancellationToken, allowNoNode: true).ConfigureAwait(false);
        return reply.Error == ZkErrorCode.NoNode ? null : (reply.Body.Buffer(), reply.Body.Stat());
    }

    public async Task<ZkStat> SetDataAsync(string path, ReadOnlyMemory<byte> data, int version, CancellationToken cancellationToken)
    {
        var reply = await CallAsync(ZkOpCode.SetData, path, w => w.String(Full(path)).Buffer(data.Span).Int(version), cancellationToken).ConfigureAwait(false);
        return reply.Body.Stat();
    }

    /// <summary>The node's children (names, unsorted) and stat, or <see langword="null"/> when it does not exist.</summary>
    public async Task<(List<string> Children, ZkStat Stat)?> GetChildrenAsync(string path, CancellationToken cancellationToken)
    {
        var reply = await CallAsync(ZkOpCode.GetChildren2, path, w => w.String(Full(path)).Bool(false), cancellationToken, allowNoNode: true).ConfigureAwait(false);
        return reply.Error == ZkErrorCode.NoNode ? null : (reply.Body.Strings(), reply.Body.Stat());
    }

    /// <summary>Makes the connected server catch up with the leader, so following reads are linearizable.</summary>
    public Task SyncAsync(string path, CancellationToken cancellationToken) =>
        CallAsync(ZkOpCode.Sync, path, w => w.String(Full(path)), cancellationToken);

    /// <summary>Creates the chroot's nodes that are missing (persistent, no data), so the session can use it.</summary>
    public async Task CreateChrootAsync(IReadOnlyList<ZkAcl> acl, CancellationToken cancellationToken)
    {
        var chroot = _options.Chroot;
        for (var end = chroot.IndexOf('/', 1); ; end = chroot.IndexOf('/', end + 1))
        {
            var path = end < 0 ? chroot : chroot[..end];
            if (path.Length > 1)
            {
                var op = new ZkOp.Create(path, ReadOnlyMemory<byte>.Empty, acl, ZkCreateMode.Persistent);
                var reply = await CallAsync(op.Code, path, w => op.WriteTo(w, p => p), cancellationToken, allowAnyError: true).ConfigureAwait(false);
                if (reply.Error is not (ZkErrorCode.Ok or ZkErrorCode.NodeExists))
                {
                    throw new ZkException(reply.Error, path, "while creating the chroot");
                }
            }

            if (end < 0)
            {
                return;
            }
        }
    }

    /// <summary>Adds a persistent (optionally recursive) watch; it is re-added on every later connection and session.</summary>
    public Task AddWatchAsync(string path, ZkWatchMode mode, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _watches.Add((path, mode));
        }

        return CallAsync(ZkOpCode.AddWatch, path, w => w.String(Full(path)).Int((int)mode), cancellationToken);
    }

    /// <summary>
    /// Applies operations all or nothing and returns their results and the transaction's zxid (the modification zxid
    /// of every node it wrote). On failure throws a <see cref="ZkException"/> naming the failed operation.
    /// </summary>
    public async Task<ZkMultiResult> MultiAsync(IReadOnlyList<ZkOp> operations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var reply = await CallAsync(ZkOpCode.Multi, null, w => WriteMulti(w, operations), cancellationToken, allowAnyError: true).ConfigureAwait(false);
        var results = new List<ZkOpResult>(operations.Count);
        var body = reply.Body;
        while (!body.AtEnd)
        {
            var type = (ZkOpCode)body.Int();
            var done = body.Bool();
            var error = (ZkErrorCode)body.Int();
            if (done)
            {
                break;
            }

            switch (type)
            {
                case ZkOpCode.Create:
                    results.Add(new ZkOpResult(type, Strip(body.String()), null));
                    break;
                case ZkOpCode.Create2 or ZkOpCode.CreateTtl or ZkOpCode.CreateContainer:
                    results.Add(new ZkOpResult(type, Strip(body.String()), body.Stat()));
                    break;
                case ZkOpCode.SetData:
                    results.Add(new ZkOpResult(type, null, body.Stat()));
                    break;
                case ZkOpCode.Error:
                    error = (ZkErrorCode)body.Int();
                    if (error is not (ZkErrorCode.Ok or ZkErrorCode.RuntimeInconsistency))
                    {
                        var index = results.Count;
                        throw new ZkException(error, operations[index].Path, "in a multi") { FailedOperation = index };
                    }

                    results.Add(new ZkOpResult(type, null, null));
                    break;
                default:
                    results.Add(new ZkOpResult(type, null, null));
                    break;
            }
        }

        if (reply.Error != ZkErrorCode.Ok)
        {
            throw new ZkException(reply.Error, null, "in a multi");
        }

        return new ZkMultiResult(reply.Zxid, results);
    }

    /// <summary>Ends the session at once (its ephemeral nodes are deleted) and stops reconnecting.</summary>
    public async Task CloseSessionAsync(CancellationToken cancellationToken)
    {
        await CallAsync(ZkOpCode.CloseSession, null, null, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _fatal = new ZkException(ZkErrorCode.SessionExpired, null, "the session was closed");
        }

        await _disposed.CancelAsync().ConfigureAwait(false);
        Volatile.Read(ref _current)?.Abort(_fatal);
    }

    /// <summary>Drops the connection without closing the session, as a crashed process would: ephemeral nodes live until the session times out.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested && _loop.IsCompleted)
        {
            return;
        }

        await _disposed.CancelAsync().ConfigureAwait(false);
        Volatile.Read(ref _current)?.Abort(new ObjectDisposedException(nameof(ZkClient)));
        await _loop.ConfigureAwait(false);
        _notifications.Writer.TryComplete();
    }

    /// <summary>Breaks the current connection, as a network failure would (the client reconnects with the same session).</summary>
    internal void DropConnection() =>
        Volatile.Read(ref _current)?.Abort(new ZkException(ZkErrorCode.ConnectionLoss, null, "the connection was dropped on purpose"));

    /// <summary>The session's credentials, so a test can open a second connection on the same session.</summary>
    internal (long SessionId, byte[] Password) SessionCredentials
    {
        get
        {
            lock (_gate)
            {
                return (_sessionId, _password);
            }
        }
    }

    internal string Full(string path) =>
        _options.Chroot.Length == 0 ? path : path == "/" ? _options.Chroot : _options.Chroot + path;

    internal string Strip(string path)
    {
        var chroot = _options.Chroot;
        if (chroot.Length == 0 || !path.StartsWith(chroot, StringComparison.Ordinal))
        {
            return path;
        }

        return path.Length == chroot.Length ? "/" : path[chroot.Length..];
    }

    private static TaskCompletionSource<ZkConnection> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static void WriteMulti(JuteWriter writer, IReadOnlyList<ZkOp> operations, Func<string, string> fullPath)
    {
        foreach (var operation in operations)
        {
            writer.Int((int)operation.Code).Bool(false).Int(-1);
            operation.WriteTo(writer, fullPath);
        }

        writer.Int(-1).Bool(true).Int(-1);
    }

    private void WriteMulti(JuteWriter writer, IReadOnlyList<ZkOp> operations) => WriteMulti(writer, operations, Full);

    private async Task<ZkReply> CallAsync(
        ZkOpCode op, string? path, Action<JuteWriter>? body, CancellationToken cancellationToken, bool allowNoNode = false, bool allowAnyError = false)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested && _fatal is null, this);
        if (_fatal is { } fatal)
        {
            throw new ZkException(fatal.Code, path, fatal.Message, fatal);
        }

        using var timeout = LinkedTimeout(cancellationToken);
        ZkReply reply;
        var sent = false;
        try
        {
            var connection = await ConnectionAsync(timeout.Token).ConfigureAwait(false);
            sent = true;
            reply = await connection.SendAsync(op, body, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !_disposed.IsCancellationRequested)
        {
            throw IsConnected
                ? new ZkException(ZkErrorCode.OperationTimeout, path, string.Create(CultureInfo.InvariantCulture, $"no reply within {_options.RequestTimeout.TotalSeconds:0.#} s"))
                {
                    MayHaveBeenApplied = sent && IsWrite(op),
                }
                : NotConnected(path);
        }
        catch (ZkException e) when (e.Code == ZkErrorCode.ConnectionLoss)
        {
            throw new ZkException(ZkErrorCode.ConnectionLoss, path, "the connection was lost before the reply arrived; the request may or may not have been applied", e)
            {
                MayHaveBeenApplied = sent && IsWrite(op),
            };
        }

        if (reply.Zxid > 0)
        {
            InterlockedMax(ref _lastZxid, reply.Zxid);
        }

        if (reply.Error != ZkErrorCode.Ok && !allowAnyError && !(allowNoNode && reply.Error == ZkErrorCode.NoNode))
        {
            throw new ZkException(reply.Error, path);
        }

        return reply;
    }

    private static bool IsWrite(ZkOpCode op) =>
        op is ZkOpCode.Create or ZkOpCode.Create2 or ZkOpCode.CreateTtl or ZkOpCode.CreateContainer or ZkOpCode.Delete or ZkOpCode.SetData or ZkOpCode.Multi;

    private ZkException NotConnected(string? path) => new(
        ZkErrorCode.ConnectionLoss,
        path,
        string.Create(CultureInfo.InvariantCulture, $"no ZooKeeper server answered within {_options.RequestTimeout.TotalSeconds:0.#} s"));

    private CancellationTokenSource LinkedTimeout(CancellationToken cancellationToken)
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        timeout.CancelAfter(_options.RequestTimeout);
        return timeout;
    }

    private Task<ZkConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        Task<ZkConnection> connected;
        lock (_gate)
        {
            connected = _connected.Task;
        }

        return connected.WaitAsync(cancellationToken);
    }

    private async Task RunAsync()
    {
        var backoff = new KvBackoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1));
        var failures = 0;
        while (!_disposed.IsCancellationRequested)
        {
            var (host, port) = _options.Endpoints[_nextEndpoint++ % _options.Endpoints.Count];
            ZkConnection? connection = null;
            try
            {
                connection = await ConnectOnceAsync(host, port).ConfigureAwait(false);
                if (connection is null)
                {
                    continue; // the session had expired: connect again at once with a new one
                }

                failures = 0;
                backoff.Reset();
                var pings = PingLoopAsync(connection);
                await connection.Completion.ConfigureAwait(false);
                Detach(connection);
                Publish(ZkNotification.State(ZkNotificationKind.Disconnected));
                await pings.ConfigureAwait(false);
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception) when (!_disposed.IsCancellationRequested)
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                }

                // One pass over every endpoint failed: wait a little before the next pass.
                if (++failures >= _options.Endpoints.Count)
                {
                    failures = 0;
                    try
                    {
                        await backoff.DelayAsync(_disposed.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            }
            catch (Exception)
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                }
            }
        }

        lock (_gate)
        {
            _current = null;
            _connected.TrySetException(_fatal ?? (Exception)new ObjectDisposedException(nameof(ZkClient)));
        }
    }

    // Returns the connection once the session is usable, or null when the server said the session had expired.
    private async Task<ZkConnection?> ConnectOnceAsync(string host, int port)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        timeout.CancelAfter(_options.ConnectTimeout);
        long sessionId;
        byte[] password;
        lock (_gate)
        {
            sessionId = _sessionId;
            password = _password;
        }

        var (connection, handshake) = await ZkConnection.OpenAsync(
            host, port, new ZkHandshake(sessionId, password, _options.SessionTimeout), LastZxid, OnSpecial, timeout.Token).ConfigureAwait(false);
        if (handshake.Timeout <= TimeSpan.Zero)
        {
            lock (_gate)
            {
                _sessionId = 0;
                _password = new byte[16];
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            return null;
        }

        bool renewed;
        List<(string Path, ZkWatchMode Mode)> watches;
        lock (_gate)
        {
            renewed = _hadSession && handshake.SessionId != _sessionId;
            _sessionId = handshake.SessionId;
            _password = handshake.Password;
            _hadSession = true;
            watches = [.. _watches];
        }

        SessionTimeout = handshake.Timeout;
        foreach (var (scheme, credentials) in _options.Authentications)
        {
            await connection.SendSpecialAsync(ZkXid.Auth, ZkOpCode.Auth, w => w.Int(0).String(scheme).Buffer(credentials)).ConfigureAwait(false);
        }

        // Sent before any caller's request, so the server has the watches back before anything else is read.
        foreach (var (path, mode) in watches)
        {
            _ = connection.SendAsync(ZkOpCode.AddWatch, w => w.String(Full(path)).Int((int)mode), CancellationToken.None)
                .ContinueWith(t => t.Exception, TaskScheduler.Default);
        }

        lock (_gate)
        {
            _current = connection;
            _connected.TrySetResult(connection);
        }

        // New calls must wait for the next connection as soon as this one breaks, not fail on it.
        connection.Closed.Register(() => Detach(connection));
        Publish(ZkNotification.State(renewed ? ZkNotificationKind.SessionRenewed : ZkNotificationKind.Connected));
        return connection;
    }

    private void Detach(ZkConnection connection)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_current, connection))
            {
                _current = null;
                _connected = NewSignal();
            }
        }
    }

    private async Task PingLoopAsync(ZkConnection connection)
    {
        var interval = SessionTimeout / 3;
        var readTimeout = SessionTimeout * 2 / 3;
        while (!connection.Closed.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, connection.Closed).ConfigureAwait(false);
                if (connection.SinceLastReceive > readTimeout)
                {
                    connection.Abort(new ZkException(ZkErrorCode.ConnectionLoss, null, string.Create(
                        CultureInfo.InvariantCulture, $"{connection.Endpoint} sent nothing for {readTimeout.TotalSeconds:0.#} s")));
                    return;
                }

                await connection.SendSpecialAsync(ZkXid.Ping, ZkOpCode.Ping, null).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ZkException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    private void OnSpecial(int xid, ZkErrorCode error, JuteReader body)
    {
        switch (xid)
        {
            case ZkXid.Notification:
                var type = (ZkEventType)body.Int();
                body.Int(); // keeper state: connection states are reported by the client itself
                var path = body.String();
                if (type != ZkEventType.None)
                {
                    Publish(new ZkNotification(ZkNotificationKind.NodeEvent, type, Strip(path)));
                }

                break;
            case ZkXid.Auth when error != ZkErrorCode.Ok:
                lock (_gate)
                {
                    _fatal = new ZkException(ZkErrorCode.AuthFailed, null, "the server rejected the credentials");
                }

                _disposed.Cancel();
                break;
        }
    }

    private void Publish(ZkNotification notification) => _notifications.Writer.TryWrite(notification);

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
