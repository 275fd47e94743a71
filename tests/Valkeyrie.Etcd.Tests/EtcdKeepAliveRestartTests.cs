using static Valkeyrie.Etcd.Tests.EtcdTestSupport;

namespace Valkeyrie.Etcd.Tests;

/// <summary>Lease renewal across a server restart, on the restart collection's own server.</summary>
[Collection(EtcdRestartCollection.Name)]
public sealed class EtcdKeepAliveRestartTests(EtcdRestartServerFixture fixture)
{
    private readonly string _root = NewRoot();

    [Fact]
    public async Task A_kept_alive_key_and_a_held_lock_survive_a_server_restart()
    {
        await using var store = new EtcdKvStore(fixture.Server.ConnectionString);
        await store.PutAsync(K("beacon"), V("alive"), new KvWriteOptions { Ttl = ShortTtl, KeepAlive = true });
        var lease = await store.CreateLock(K("lock"), new KvLockOptions { Ttl = TimeSpan.FromSeconds(10), Value = V("held") }).AcquireAsync().WaitAsync(Patience);

        await fixture.Server.StopAsync();
        await fixture.Server.StartAsync();

        // Several TTLs after the restart the key must still be there: renewals resumed by themselves.
        await using var reader = new EtcdKvStore(fixture.Server.ConnectionString);
        await EventuallyAsync(async () => await TryExistsAsync(reader, K("beacon")), Patience, "the server to serve reads again");
        await Task.Delay(ShortTtl * 3);
        Assert.Equal("alive", (await reader.GetAsync(K("beacon")))?.ValueAsString);
        Assert.False(lease.Lost.IsCancellationRequested, "A restart shorter than the lock's TTL does not lose the lock.");
        Assert.Equal("held", (await reader.GetAsync(K("lock")))?.ValueAsString);

        await lease.ReleaseAsync();
        Assert.False(await reader.ExistsAsync(K("lock")));
        await reader.DeleteTreeAsync(_root);
    }

    private static async Task<bool> TryExistsAsync(EtcdKvStore store, string key)
    {
        try
        {
            return await store.ExistsAsync(key);
        }
        catch (KvUnavailableException)
        {
            return false;
        }
    }

    private string K(string relative) => $"{_root}/{relative}";
}
