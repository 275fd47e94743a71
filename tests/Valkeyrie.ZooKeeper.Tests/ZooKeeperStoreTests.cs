using System.Text;
using Valkeyrie.Testing.Servers.Fixtures;
using Valkeyrie.ZooKeeper.Protocol;

namespace Valkeyrie.ZooKeeper.Tests;

/// <summary>ZooKeeper-specific store behaviour: the node layout, chroot, limits and options.</summary>
[Collection(ZooKeeperCollection.Name)]
public sealed class ZooKeeperStoreTests(ZooKeeperServerFixture fixture)
{
    private readonly string _root = $"store-{Guid.NewGuid():N}";

    [Fact]
    public async Task Keys_are_plain_nodes_under_the_chroot_and_implicit_parents_stay_invisible()
    {
        await using var store = (ZooKeeperKvStore)ZooKeeperTarget.Connect(fixture.Server.ConnectionString + "/" + _root + "/app");
        var written = await store.PutAsync("db/host", Encoding.UTF8.GetBytes("localhost"));

        await using var raw = new ZkClient(new ZkClientOptions { Endpoints = [("127.0.0.1", fixture.Server.Port)] });
        var node = await raw.GetDataAsync($"/{_root}/app/db/host", default);
        Assert.Equal("localhost", Encoding.UTF8.GetString(node!.Value.Data));
        Assert.Equal(written.LastIndex, (ulong)node.Value.Stat.Mzxid);
        Assert.Empty((await raw.GetDataAsync($"/{_root}/app/db", default))!.Value.Data);

        Assert.Null(await store.GetAsync("db"));
        Assert.Equal(["db/host"], (await store.ListAsync("")).Select(p => p.Key));
        Assert.True(await store.DeleteAsync("db/host"));
        Assert.Null(await raw.ExistsAsync($"/{_root}/app/db", default));
    }

    [Fact]
    public async Task Values_too_large_for_a_request_are_refused_before_sending()
    {
        await using var store = ZooKeeperTarget.Connect(fixture.Server.ConnectionString);
        var error = await Assert.ThrowsAsync<KvLimitExceededException>(() => store.PutAsync($"{_root}/big", new byte[KvStoreLimits.ZooKeeper.MaxValueBytes + 1]));
        Assert.Contains($"{_root}/big", error.Message, StringComparison.Ordinal);
        var largest = await store.PutAsync($"{_root}/big", new byte[KvStoreLimits.ZooKeeper.MaxValueBytes]);
        Assert.Equal(KvStoreLimits.ZooKeeper.MaxValueBytes, (await store.GetAsync($"{_root}/big"))!.Value.Length);
        Assert.True(largest.LastIndex > 0);
        await store.DeleteTreeAsync(_root);
    }

    [Fact]
    public async Task Keys_zookeeper_cannot_store_are_rejected_with_ArgumentException()
    {
        await using var store = ZooKeeperTarget.Connect(fixture.Server.ConnectionString);
        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync($"{_root}/emoji-🙂", new byte[] { 1 }));
    }

    [Fact]
    public async Task Keep_alive_keys_cannot_have_children()
    {
        await using var store = ZooKeeperTarget.Connect(fixture.Server.ConnectionString);
        await store.PutAsync($"{_root}/parent/child", new byte[] { 1 });
        var error = await Assert.ThrowsAsync<KvException>(() =>
            store.PutAsync($"{_root}/parent", new byte[] { 1 }, new KvWriteOptions { Ttl = TimeSpan.FromSeconds(5), KeepAlive = true }));
        Assert.Contains("children", error.Message, StringComparison.Ordinal);
        await store.DeleteTreeAsync(_root);
    }

    [Fact]
    public void Connection_string_is_parsed_and_checked()
    {
        var options = ZooKeeperKvStoreOptions.FromConnectionString(
            KvConnectionString.Parse("zookeeper://h1:2181,h2/apps/x?sessionTimeout=6s&requestTimeout=2s&digest=u:p&acl=creator-read"));
        Assert.Equal(["h1:2181", "h2:2181"], options.Endpoints);
        Assert.Equal("/apps/x", options.Chroot);
        Assert.Equal(TimeSpan.FromSeconds(6), options.SessionTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), options.RequestTimeout);
        Assert.Equal("u:p", options.Digest);
        Assert.Equal(ZooKeeperAcl.CreatorWorldRead, options.Acl);

        var unknown = Assert.Throws<KvConfigurationException>(() => KvStoreFactory.Create("zookeeper://h1:2181?sessionTimeot=5s"));
        Assert.Contains("sessionTimeot", unknown.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("u:p", KvConnectionString.Parse("zookeeper://h1?digest=u:p").ToString(), StringComparison.Ordinal);
        Assert.Throws<KvConfigurationException>(() => KvStoreFactory.Create("zookeeper://?acl=open"));
    }

    [Fact]
    public void The_shared_timeout_key_and_defaults_apply()
    {
        var options = ZooKeeperKvStoreOptions.Parse("zookeeper://h1?timeout=7s&connectTimeout=2s");
        Assert.Equal(TimeSpan.FromSeconds(7), options.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), options.ConnectTimeout);
        var defaults = new ZooKeeperKvStoreOptions();
        Assert.Equal(TimeSpan.FromSeconds(10), defaults.RequestTimeout); // documented: longer than the shared 5 s
        Assert.Equal(TimeSpan.FromSeconds(3), defaults.ConnectTimeout);
    }
}
