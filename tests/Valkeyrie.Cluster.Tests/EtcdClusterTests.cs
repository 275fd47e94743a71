using Valkeyrie.Etcd;
using Valkeyrie.Testing.Conformance.Cluster;
using Valkeyrie.Testing.Servers;
using Valkeyrie.Testing.Servers.Clusters;
using Xunit.Abstractions;

namespace Valkeyrie.Cluster.Tests;

public sealed class EtcdClusterFixture : ClusterFixture<EtcdServer>
{
    protected override async Task<ServerCluster<EtcdServer>> StartClusterAsync() => await EtcdCluster.StartNewAsync();
}

public sealed class EtcdClusterTests(EtcdClusterFixture fixture, ITestOutputHelper output)
    : KvClusterConformance<EtcdServer>(fixture.Cluster, output), IClassFixture<EtcdClusterFixture>
{
    protected override IKvStore Connect(string connectionString) => new EtcdKvStore(connectionString);
}
