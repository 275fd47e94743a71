using Valkeyrie.Testing.Conformance.Cluster;
using Valkeyrie.Testing.Servers;
using Valkeyrie.Testing.Servers.Clusters;
using Valkeyrie.ZooKeeper;
using Xunit.Abstractions;

namespace Valkeyrie.Cluster.Tests;

public sealed class ZooKeeperEnsembleFixture : ClusterFixture<ZooKeeperServer>
{
    protected override async Task<ServerCluster<ZooKeeperServer>> StartClusterAsync() => await ZooKeeperEnsemble.StartNewAsync();
}

public sealed class ZooKeeperClusterTests(ZooKeeperEnsembleFixture fixture, ITestOutputHelper output)
    : KvClusterConformance<ZooKeeperServer>(fixture.Cluster, output), IClassFixture<ZooKeeperEnsembleFixture>
{
    protected override IKvStore Connect(string connectionString) => ZooKeeperKvStore.Create(KvConnectionString.Parse(connectionString));
}
