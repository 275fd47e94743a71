using System.Threading.Channels;
using StackExchange.Redis;

namespace Valkeyrie.Redis;

/// <summary>
/// Follows writes made with Redis's own tools through keyspace notifications and runs <see cref="RedisScripts.Adopt"/>
/// on the keys they name, so that such a write gets a fresh index, joins the key index and reaches every watcher
/// through the change log like any other (docs/operators.md). Started by the first watch of a store.
/// </summary>
internal sealed class RedisNativeWrites : IAsyncDisposable
{
    // K: keyspace channel; g: DEL, EXPIRE, RENAME; h: hash commands; $: SET and friends; x: expiries.
    private const string RequiredFlags = "Kgh$x";

    // Flags 'A' stands for (every class of event except key-miss and new-key ones).
    private const string AllEventsAlias = "g$lshzxetd";

    private const int BatchSize = 256;

    private readonly RedisKvStore _store;
    private readonly Channel<string> _keys = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Task? _worker;
    private volatile bool _started;

    public RedisNativeWrites(RedisKvStore store) => _store = store;

    /// <summary>
    /// Turns keyspace notifications on if needed and subscribes, once per store (the client re-subscribes after
    /// reconnects). Throws <see cref="KvConfigurationException"/> when the server refuses to turn them on.
    /// </summary>
    public async Task EnsureStartedAsync(CancellationToken cancellationToken)
    {
        if (_started)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_started)
            {
                return;
            }

            await _store.Connection.RunAsync<bool>(
                null,
                async db =>
                {
                    await EnableNotificationsAsync(db).ConfigureAwait(false);
                    var prefix = $"__keyspace@{_store.Options.Database}__:";
                    await db.Multiplexer.GetSubscriber().SubscribeAsync(RedisChannel.Pattern(prefix + "*"), (channel, _) => OnNotification(channel, prefix)).ConfigureAwait(false);
                    return true;
                },
                cancellationToken).ConfigureAwait(false);
            _worker = Task.Run(AdoptLoopAsync, CancellationToken.None); // runs until the store is disposed, not the first watch
            _started = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _keys.Writer.TryComplete();
        if (_worker is { } worker)
        {
            await worker.ConfigureAwait(false);
        }

        _gate.Dispose();
    }

    private async Task EnableNotificationsAsync(IDatabase db)
    {
        try
        {
            var reply = (RedisResult[])(await db.ExecuteAsync("CONFIG", "GET", "notify-keyspace-events").ConfigureAwait(false))!;
            var current = reply.Length >= 2 ? (string?)reply[1] ?? string.Empty : string.Empty;
            var effective = current.Replace("A", AllEventsAlias, StringComparison.Ordinal);
            var missing = new string(RequiredFlags.Where(flag => !effective.Contains(flag, StringComparison.Ordinal)).ToArray());
            if (missing.Length > 0)
            {
                await db.ExecuteAsync("CONFIG", "SET", "notify-keyspace-events", current + missing).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is RedisServerException or RedisCommandException)
        {
            throw new KvConfigurationException(
                $"redis at {_store.Connection.Endpoint}: watches follow native writes (redis-cli) through keyspace notifications, but the server " +
                $"refused to turn them on ({e.Message.Split(' ')[0]}). Set 'notify-keyspace-events {RequiredFlags}' in the server's configuration " +
                "(or a parameter group on a managed service), or set NativeWrites = false (nativeWrites=false) to rely on the periodic reconciliation only.",
                e);
        }
    }

    private void OnNotification(RedisChannel channel, string prefix)
    {
        var name = channel.ToString();
        if (name.Length > prefix.Length)
        {
            var key = name[prefix.Length..];
            if (KvKeys.IsCanonical(key))
            {
                _keys.Writer.TryWrite(key);
            }
        }
    }

    // Repairs in batches: every notification of a write burst goes into one script call.
    private async Task AdoptLoopAsync()
    {
        var token = _store.Disposed;
        var batch = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            while (batch.Count > 0 || await _keys.Reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                while (batch.Count < BatchSize && _keys.Reader.TryRead(out var key))
                {
                    batch.Add(key);
                }

                try
                {
                    await _store.EvalAsync(null, RedisScripts.Adopt, [.. batch.Select(k => (RedisValue)k)], token).ConfigureAwait(false);
                    batch.Clear();
                }
                catch (KvException)
                {
                    // The server is away: keep the keys and try again once it may be back.
                    await Task.Delay(TimeSpan.FromMilliseconds(500), token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException && token.IsCancellationRequested)
        {
            // The store is closing.
        }
    }
}
