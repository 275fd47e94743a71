using Valkeyrie.Testing.Servers;

namespace Valkeyrie.Fuzz.Tests;

/// <summary>
/// Every backend, started once for the fuzz suites (in parallel, so the start costs the slowest server, not the sum):
/// Redis, etcd, Consul, ZooKeeper and dynalite (DynamoDB), plus a LiteDB file. The memory store is the model each is
/// compared with.
/// </summary>
public sealed class FuzzBackends : IAsyncLifetime
{
    private readonly List<ServerProcess> _servers = [];
    private readonly string _liteDbDirectory = Directory.CreateTempSubdirectory("valkeyrie-fuzz-litedb-").FullName;

    /// <summary>One store per backend, by backend name.</summary>
    public IReadOnlyList<(string Name, IKvStore Store)> Stores { get; private set; } = [];

    /// <summary>Starts the servers and connects a store to each.</summary>
    public async Task InitializeAsync()
    {
        var redis = RedisServer.StartNewAsync();
        var etcd = EtcdServer.StartNewAsync();
        var consul = ConsulAgent.StartNewAsync();
        var zookeeper = ZooKeeperServer.StartNewAsync();
        var dynalite = DynaliteServer.StartNewAsync();
        try
        {
            await Task.WhenAll(redis, etcd, consul, zookeeper, dynalite);
        }
        finally
        {
            Keep(redis);
            Keep(etcd);
            Keep(consul);
            Keep(zookeeper);
            Keep(dynalite);
        }

        Stores =
        [
            ("litedb", KvStoreFactory.Create($"litedb:{Path.Combine(_liteDbDirectory, "fuzz.db")}")),
            ("redis", KvStoreFactory.Create(redis.Result.ConnectionString)),
            ("etcd", KvStoreFactory.Create(etcd.Result.ConnectionString)),
            ("consul", KvStoreFactory.Create(consul.Result.ConnectionString)),
            ("zookeeper", KvStoreFactory.Create($"{zookeeper.Result.ConnectionString}?sessionTimeout=4s&requestTimeout=10s")),
            ("dynamodb", KvStoreFactory.Create($"{dynalite.Result.ConnectionString}&table=fuzz&accessKey=a&secretKey=b&createTable=true")),
        ];
    }

    // Remembers a started server for disposal (a failed start disposed its own).
    private void Keep<TServer>(Task<TServer> start)
        where TServer : ServerProcess
    {
        if (start.IsCompletedSuccessfully)
        {
            _servers.Add(start.Result);
        }
    }

    /// <summary>Disposes the stores and servers.</summary>
    public async Task DisposeAsync()
    {
        foreach (var (_, store) in Stores)
        {
            await store.DisposeAsync();
        }

        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        Directory.Delete(_liteDbDirectory, recursive: true);
    }
}

/// <summary>The fuzz suites that share <see cref="FuzzBackends"/>.</summary>
[CollectionDefinition(Name)]
public sealed class FuzzBackendsCollection : ICollectionFixture<FuzzBackends>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "fuzz-backends";
}
