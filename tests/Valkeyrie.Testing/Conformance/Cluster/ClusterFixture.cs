using Valkeyrie.Testing.Servers;
using Valkeyrie.Testing.Servers.Clusters;

namespace Valkeyrie.Testing.Conformance.Cluster;

/// <summary>One cluster shared by the tests of a class (<c>IClassFixture&lt;T&gt;</c>): started before the first, disposed after the last.</summary>
/// <typeparam name="TMember">The cluster's member launcher.</typeparam>
public abstract class ClusterFixture<TMember> : IAsyncLifetime
    where TMember : ServerProcess
{
    private ServerCluster<TMember>? _cluster;

    /// <summary>The running cluster.</summary>
    public ServerCluster<TMember> Cluster => _cluster ?? throw new InvalidOperationException($"{GetType().Name} is not initialized yet.");

    /// <summary>Starts the cluster.</summary>
    public async Task InitializeAsync() => _cluster = await StartClusterAsync();

    /// <summary>Kills every member and deletes the data.</summary>
    public async Task DisposeAsync()
    {
        if (_cluster is { } cluster)
        {
            _cluster = null;
            await cluster.DisposeAsync();
        }
    }

    /// <summary>Creates and starts the cluster (its <c>StartNewAsync</c>).</summary>
    protected abstract Task<ServerCluster<TMember>> StartClusterAsync();
}
