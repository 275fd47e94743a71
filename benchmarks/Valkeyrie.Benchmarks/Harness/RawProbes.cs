using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using dotnet_etcd;
using StackExchange.Redis;
using Valkeyrie.Benchmarks.Infrastructure;
using Valkeyrie.ZooKeeper.Protocol;

namespace Valkeyrie.Benchmarks.Harness;

/// <summary>
/// The raw floors: each backend's own notification of the same write, through its raw client. DynamoDB and LiteDB
/// have none (Valkeyrie polls their change logs), so their in-process floor is <see cref="WatchTreeProbe"/>; across
/// processes LiteDB's floor is <see cref="FileWatcherProbe"/>.
/// </summary>
public static class RawProbes
{
    /// <summary>The raw probe of <paramref name="backend"/>, or null when the backend has no notification of its own.</summary>
    public static IReloadProbe? Create(Backend backend, string connectionString) => backend switch
    {
        Backend.Redis => new RedisPubSubProbe(new Uri(connectionString)),
        Backend.Etcd => new EtcdWatchProbe(new Uri(connectionString)),
        Backend.Consul => new ConsulBlockingQueryProbe(new Uri(connectionString)),
        Backend.ZooKeeper => new ZooKeeperWatchProbe(connectionString),
        _ => null,
    };

    /// <summary>StackExchange.Redis subscribed to the channel every Valkeyrie write publishes on.</summary>
    private sealed class RedisPubSubProbe(Uri endpoint) : IReloadProbe
    {
        private ConnectionMultiplexer? _redis;

        public string Name => "raw: StackExchange.Redis pub/sub";

        public async Task StartAsync(Action<int?, long> onNotified)
        {
            _redis = await ConnectionMultiplexer.ConnectAsync($"{endpoint.Host}:{endpoint.Port}");
            var queue = await _redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal("_valkeyrie/changes"));
            queue.OnMessage(_ => onNotified(null, Stopwatch.GetTimestamp()));
        }

        public async ValueTask DisposeAsync()
        {
            if (_redis is not null)
            {
                await _redis.DisposeAsync();
            }
        }
    }

    /// <summary>dotnet-etcd watching the key.</summary>
    private sealed class EtcdWatchProbe(Uri endpoint) : IReloadProbe
    {
        private readonly CancellationTokenSource _stop = new();
        private EtcdClient? _etcd;

        public string Name => "raw: dotnet-etcd Watch";

        public async Task StartAsync(Action<int?, long> onNotified)
        {
            _etcd = new EtcdClient($"http://{endpoint.Host}:{endpoint.Port}");
            var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _ = _etcd.WatchAsync("bench/settings/Port", (Etcdserverpb.WatchResponse response) =>
            {
                var now = Stopwatch.GetTimestamp();
                if (response.Created)
                {
                    created.TrySetResult();
                }

                foreach (var e in response.Events)
                {
                    onNotified(int.Parse(e.Kv.Value.ToStringUtf8(), CultureInfo.InvariantCulture), now);
                }
            }, cancellationToken: _stop.Token);
            await created.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _etcd?.Dispose();
            _stop.Dispose();
        }
    }

    /// <summary>HttpClient in a Consul blocking-query loop on the key.</summary>
    private sealed class ConsulBlockingQueryProbe(Uri endpoint) : IReloadProbe
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://{endpoint.Host}:{endpoint.Port}/"), Timeout = Timeout.InfiniteTimeSpan };
        private Task? _loop;

        public string Name => "raw: HttpClient Consul blocking query";

        public async Task StartAsync(Action<int?, long> onNotified)
        {
            var (index, _) = await GetAsync(0, _stop.Token);
            _loop = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    try
                    {
                        var (next, value) = await GetAsync(index, _stop.Token);
                        var now = Stopwatch.GetTimestamp();
                        if (next != index)
                        {
                            index = next;
                            onNotified(value, now);
                        }
                    }
                    catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                    {
                        return;
                    }
                }
            });
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            if (_loop is not null)
            {
                await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            _http.Dispose();
            _stop.Dispose();
        }

        private async Task<(ulong Index, int? Port)> GetAsync(ulong index, CancellationToken cancellationToken)
        {
            using var response = await _http.GetAsync(string.Create(CultureInfo.InvariantCulture, $"v1/kv/bench/settings/Port?index={index}&wait=5m"), cancellationToken);
            response.EnsureSuccessStatusCode();
            var next = ulong.Parse(response.Headers.GetValues("X-Consul-Index").First(), CultureInfo.InvariantCulture);
            using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
            var text = System.Text.Encoding.UTF8.GetString(document.RootElement[0].GetProperty("Value").GetBytesFromBase64());
            return (next, int.Parse(text, CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// ZooKeeper's own watch on the key's node, through the protocol client inside Valkeyrie.ZooKeeper: a persistent
    /// watch (addWatch, ZooKeeper 3.6+), so no re-registration round trip sits between two writes as it would with a
    /// one-shot getData watch. The notification names the node, not the value.
    /// </summary>
    private sealed class ZooKeeperWatchProbe(string connectionString) : IReloadProbe
    {
        private const string PortPath = "/bench/settings/Port";
        private ZkClient? _zk;
        private Task? _loop;

        public string Name => "raw: ZooKeeper persistent watch (own protocol client)";

        public async Task StartAsync(Action<int?, long> onNotified)
        {
            _zk = await ZooKeeperRawClient.ConnectAsync(connectionString);
            await _zk.AddWatchAsync(PortPath, ZkWatchMode.Persistent, CancellationToken.None);
            var notifications = _zk.Notifications;
            _loop = Task.Run(async () =>
            {
                await foreach (var notification in notifications.ReadAllAsync())
                {
                    if (notification is { Kind: ZkNotificationKind.NodeEvent, EventType: ZkEventType.NodeDataChanged, Path: PortPath })
                    {
                        onNotified(null, Stopwatch.GetTimestamp());
                    }
                }
            });
        }

        public async ValueTask DisposeAsync()
        {
            if (_zk is not null)
            {
                // Completes the notification channel, which ends the loop.
                await _zk.DisposeAsync();
            }

            if (_loop is not null)
            {
                await _loop;
            }
        }
    }
}
