using Valkeyrie.Redis;
using Valkeyrie.Testing.Conformance.Cluster;
using Valkeyrie.Testing.Servers;
using Valkeyrie.Testing.Servers.Clusters;
using Xunit.Abstractions;

namespace Valkeyrie.Cluster.Tests;

public sealed class RedisSentinelClusterFixture : ClusterFixture<RedisServer>
{
    protected override async Task<ServerCluster<RedisServer>> StartClusterAsync() => await RedisSentinelCluster.StartNewAsync(replicas: 2);
}

public sealed class RedisSentinelClusterTests(RedisSentinelClusterFixture fixture, ITestOutputHelper output)
    : KvClusterConformance<RedisServer>(fixture.Cluster, output), IClassFixture<RedisSentinelClusterFixture>
{
    // Every write waits for the replica (docs/backends/redis.md, "Durability"), so a failover keeps every acknowledged write.
    protected override IKvStore Connect(string connectionString) => new RedisKvStore(connectionString + "&waitReplicas=1");
}
