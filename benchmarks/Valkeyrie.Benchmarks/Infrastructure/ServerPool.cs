using System.Collections.Concurrent;
using System.Globalization;
using Valkeyrie.Testing.Servers;

namespace Valkeyrie.Benchmarks.Infrastructure;

/// <summary>
/// Starts each backend's server at most once per process with the launchers the tests use, so an in-process run
/// (the smoke mode) does not pay a server start per benchmark case. <see cref="DisposeAllAsync"/> stops them; a
/// process that exits without it still kills them (the launchers register an exit handler).
/// </summary>
public static class ServerPool
{
    private static readonly ConcurrentDictionary<Backend, Lazy<Task<ServerProcess?>>> s_servers = new();
    private static readonly string s_liteDbFolder = Path.Combine(Path.GetTempPath(), "valkeyrie-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

    /// <summary>The running server of <paramref name="backend"/>, or null for LiteDB, which needs none.</summary>
    public static Task<ServerProcess?> GetAsync(Backend backend) =>
        s_servers.GetOrAdd(backend, b => new Lazy<Task<ServerProcess?>>(() => StartAsync(b))).Value;

    /// <summary>
    /// A connection string to a fresh, empty namespace of <paramref name="backend"/>: a new LiteDB file, a new
    /// DynamoDB table, or the shared server (callers use their own key prefix there).
    /// </summary>
    /// <param name="backend">The backend.</param>
    /// <param name="name">Distinguishes files and tables of one process.</param>
    public static async Task<string> ConnectionStringAsync(Backend backend, string name)
    {
        var server = await GetAsync(backend);
        switch (backend)
        {
            case Backend.LiteDb:
                Directory.CreateDirectory(s_liteDbFolder);
                return "litedb:" + Path.Combine(s_liteDbFolder, name + ".db");
            case Backend.DynamoDb:
            case Backend.DynamoDbMoto:
                // A 50 ms poll: the change feed polls DynamoDB, so its interval bounds reload latency. The commit mode
                // is named rather than left to auto so that each target fails loudly if it would measure the other mode.
                var commitMode = backend == Backend.DynamoDbMoto ? "native" : "log";
                return server!.ConnectionString + "&table=" + name + "&createTable=true&accessKey=bench&secretKey=bench&pollInterval=50ms&commitMode=" + commitMode;
            default:
                return server!.ConnectionString;
        }
    }

    /// <summary>Stops every server started by this process and deletes the LiteDB files.</summary>
    public static async Task DisposeAllAsync()
    {
        foreach (var lazy in s_servers.Values)
        {
            if (lazy.IsValueCreated && await lazy.Value.ConfigureAwait(false) is { } server)
            {
                await server.DisposeAsync();
            }
        }

        s_servers.Clear();
        if (Directory.Exists(s_liteDbFolder))
        {
            Directory.Delete(s_liteDbFolder, recursive: true);
        }
    }

    private static async Task<ServerProcess?> StartAsync(Backend backend) => backend switch
    {
        Backend.LiteDb => null,
        Backend.Redis => await RedisServer.StartNewAsync(),
        Backend.Etcd => await EtcdServer.StartNewAsync(),
        Backend.Consul => await ConsulAgent.StartNewAsync(),
        Backend.ZooKeeper => await ZooKeeperServer.StartNewAsync(),
        Backend.DynamoDb => await DynaliteServer.StartNewAsync(),
        Backend.DynamoDbMoto => await MotoServer.StartNewAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(backend), backend, null),
    };
}
