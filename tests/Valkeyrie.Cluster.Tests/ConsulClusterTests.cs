using Valkeyrie.Consul;
using Valkeyrie.Testing.Conformance.Cluster;
using Valkeyrie.Testing.Servers;
using Valkeyrie.Testing.Servers.Clusters;
using Xunit.Abstractions;

namespace Valkeyrie.Cluster.Tests;

public sealed class ConsulClusterFixture : ClusterFixture<ConsulAgent>
{
    protected override async Task<ServerCluster<ConsulAgent>> StartClusterAsync() => await ConsulCluster.StartNewAsync();
}

public sealed class ConsulClusterTests(ConsulClusterFixture fixture, ITestOutputHelper output)
    : KvClusterConformance<ConsulAgent>(fixture.Cluster, output), IClassFixture<ConsulClusterFixture>
{
    protected override IKvStore Connect(string connectionString) => ConsulKvStore.Create(KvConnectionString.Parse(connectionString));
}
