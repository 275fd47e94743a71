using Valkeyrie.Testing.Servers;
using Valkeyrie.Testing.Servers.Fixtures;

namespace Valkeyrie.ZooKeeper.Tests;

/// <summary>A server started without extended types (zoo.cfg settings become zookeeper.* system properties).</summary>
public sealed class ZooKeeperWithoutTtlFixture : ZooKeeperServerFixture
{
    protected override ZooKeeperServerOptions CreateOptions()
    {
        var options = new ZooKeeperServerOptions();
        options.ExtraConfig.Add("extendedTypesEnabled=false");
        return options;
    }
}

[CollectionDefinition(Name)]
public sealed class ZooKeeperWithoutTtlCollection : ICollectionFixture<ZooKeeperWithoutTtlFixture>
{
    public const string Name = "zookeeper-without-ttl";
}

[Collection(ZooKeeperWithoutTtlCollection.Name)]
public sealed class ZooKeeperWithoutTtlTests(ZooKeeperWithoutTtlFixture fixture)
{
    [Fact]
    public async Task A_ttl_write_says_how_to_enable_ttl_nodes_and_plain_writes_still_work()
    {
        await using var store = ZooKeeperTarget.Connect(fixture.Server.ConnectionString);
        var error = await Assert.ThrowsAsync<KvConfigurationException>(() =>
            store.PutAsync("ttl/key", new byte[] { 1 }, new KvWriteOptions { Ttl = TimeSpan.FromSeconds(5) }));
        Assert.Contains("extendedTypesEnabled", error.Message, StringComparison.Ordinal);
        Assert.False(await store.ExistsAsync("ttl/key"));

        await store.PutAsync("ttl/key", new byte[] { 1 });
        Assert.True(await store.ExistsAsync("ttl/key"));
    }
}
