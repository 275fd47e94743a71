using System.Diagnostics;
using StackExchange.Redis;
using Valkeyrie.Backends;

namespace Valkeyrie.Redis;

/// <summary>
/// One store's link to Redis: a multiplexer connected on first use (and reconnected in the background by the
/// client), the pub/sub subscription that wakes watchers and lock waiters, and error mapping for every call.
/// </summary>
internal sealed class RedisConnection : IAsyncDisposable
{
    private readonly RedisKvStoreOptions _options;
    private readonly ConfigurationOptions _configuration;
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private readonly CancellationToken _disposed;
    private ConnectionMultiplexer? _multiplexer;
    private volatile bool _subscribed;
    private TaskCompletionSource _changed = NewSignal();

    public RedisConnection(RedisKvStoreOptions options, CancellationToken disposed)
    {
        _options = options;
        _configuration = options.ToClientConfiguration();
        _disposed = disposed;
        Endpoint = options.DisplayEndpoint;
    }

    /// <summary>The endpoints as shown in messages.</summary>
    public string Endpoint { get; }

    /// <summary>Whether a connection has been made and is up right now.</summary>
    public bool IsConnected => Volatile.Read(ref _multiplexer)?.IsConnected == true;

    /// <summary>Completes at the next notification of a change (or a reconnect); take it before reading so none is missed.</summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    /// <summary>Runs one call with a connected database, mapping failures; the token cancels the wait, not the command.</summary>
    public async Task<T> RunAsync<T>(string? key, Func<IDatabase, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            var database = await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
            return await call(database).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (RedisErrors.Map(e, Endpoint, key) is { } mapped)
        {
            throw mapped;
        }
    }

    /// <summary>
    /// Runs one write with a connected database. A failure after the write was sent (connection lost, no answer in
    /// time) is <see cref="KvOutcomeUnknownException"/>: it may have been applied. With
    /// <see cref="RedisKvStoreOptions.WaitForReplicas"/>, the write counts only once that many replicas confirmed it.
    /// </summary>
    public async Task<T> RunWriteAsync<T>(string? key, Func<IDatabase, Task<T>> call, CancellationToken cancellationToken)
    {
        IDatabase database;
        try
        {
            database = await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (RedisErrors.Map(e, Endpoint, key) is { } mapped)
        {
            // No connection: nothing was sent.
            throw mapped;
        }

        try
        {
            var result = await call(database).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (_options.WaitForReplicas > 0)
            {
                await WaitForReplicasAsync(database, key, cancellationToken).ConfigureAwait(false);
            }

            return result;
        }
        catch (Exception e) when (RedisErrors.MapWrite(e, Endpoint, key) is { } mapped)
        {
            throw mapped;
        }
    }

    // WAIT blocks until the replicas acknowledged every write this connection made so far, or the timeout passed.
    private async Task WaitForReplicasAsync(IDatabase database, string? key, CancellationToken cancellationToken)
    {
        var wanted = _options.WaitForReplicas;
        var timeout = (long)Math.Ceiling(_options.ReplicaWaitTimeout.TotalMilliseconds);
        var confirmed = (long)await database.ExecuteAsync("WAIT", wanted, timeout).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (confirmed < wanted)
        {
            throw RedisErrors.NotReplicated(Endpoint, key, confirmed, wanted, _options.ReplicaWaitTimeout);
        }
    }

    /// <summary>Makes sure change notifications arrive; throws <see cref="KvUnavailableException"/> while that is impossible.</summary>
    public async Task EnsureSubscribedAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var backoff = new KvBackoff(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(250));
        while (!_subscribed)
        {
            try
            {
                await SubscribeAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (KvUnavailableException) when (IsConnected && Stopwatch.GetElapsedTime(started) < _options.ConnectTimeout)
            {
                // Just after the first connect the commands connection can be up while the subscription connection is
                // still coming up ("No connection is active/available"): give it the connect timeout.
                await backoff.DelayAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private Task<bool> SubscribeAsync(CancellationToken cancellationToken) =>
        RunAsync<bool>(
            null,
            async _ =>
            {
                await _connectGate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    if (!_subscribed)
                    {
                        // The client re-subscribes by itself after reconnects once this succeeded.
                        var channel = RedisChannel.Literal(RedisLayout.Channel);
                        var multiplexer = _multiplexer ?? throw new ObjectDisposedException(nameof(RedisKvStore));
                        await multiplexer.GetSubscriber().SubscribeAsync(channel, (_, _) => Signal()).ConfigureAwait(false);
                        _subscribed = true;
                    }
                }
                finally
                {
                    _connectGate.Release();
                }

                return true;
            },
            cancellationToken);

    /// <summary>Wakes everyone waiting on <see cref="Changed"/>.</summary>
    public void Signal() => Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();

    public async ValueTask DisposeAsync()
    {
        await _connectGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_multiplexer is { } multiplexer)
            {
                multiplexer.ConnectionRestored -= OnConnectionRestored;
                await multiplexer.DisposeAsync().ConfigureAwait(false);
                _multiplexer = null;
            }
        }
        finally
        {
            _connectGate.Release();
        }

        Signal();
    }

    private async Task<IDatabase> GetDatabaseAsync(CancellationToken cancellationToken)
    {
        var multiplexer = Volatile.Read(ref _multiplexer);
        if (multiplexer is null)
        {
            await _connectGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
                multiplexer = _multiplexer ??= await ConnectAsync().ConfigureAwait(false);
            }
            finally
            {
                _connectGate.Release();
            }
        }

        if (!multiplexer.IsConnected)
        {
            // Fail at once with a clear message; the client keeps reconnecting in the background.
            ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
            throw RedisErrors.Unavailable(Endpoint, null, "cannot be reached (reconnecting in the background)", null);
        }

        return multiplexer.GetDatabase(_options.Database);
    }

    // A first connect that fails throws (and the next call tries again), so rejected credentials surface as such;
    // once connected, the client reconnects by itself.
    private async Task<ConnectionMultiplexer> ConnectAsync()
    {
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(_configuration).ConfigureAwait(false);
        multiplexer.ConnectionRestored += OnConnectionRestored;
        return multiplexer;
    }

    // Notifications published while the link was down are lost: wake every reader to re-read the log.
    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        Signal();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
