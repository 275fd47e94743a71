using Valkeyrie.Testing.Conformance;
using static Valkeyrie.Etcd.Tests.EtcdTestSupport;

namespace Valkeyrie.Etcd.Tests;

/// <summary>A server with authentication enabled: credentials accepted, bad ones a clear error, tokens renewed after a restart.</summary>
[Collection(EtcdAuthCollection.Name)]
public sealed class EtcdAuthTests(EtcdAuthServerFixture fixture)
{
    private readonly string _root = NewRoot();

    private string RootConnectionString => $"etcd://root:{EtcdAuthServerFixture.RootPassword}@127.0.0.1:{fixture.Server.Port}";

    [Fact]
    public async Task The_right_credentials_give_every_call()
    {
        await using var store = new EtcdKvStore(RootConnectionString);
        var written = await store.PutAsync(K("a"), V("1"));
        Assert.Equal(written, await store.GetAsync(K("a")));
        Assert.True((await store.AtomicPutAsync(K("a"), V("2"), written.LastIndex)).Succeeded);
        await using (var watch = new StreamReader<KvTreeChange>(ct => store.WatchTreeAsync(_root, cancellationToken: ct)))
        {
            Assert.Single((await watch.NextAsync(Patience, "the snapshot")).Snapshot);
            await store.PutAsync(K("b"), V("3"));
            Assert.Equal(K("b"), Assert.Single((await watch.NextAsync(Patience, "the put")).Events).Key);
        }

        await (await store.CreateLock(K("lock")).AcquireAsync().WaitAsync(Patience)).DisposeAsync();
        await store.PutAsync(K("ttl"), V("x"), new KvWriteOptions { Ttl = ShortTtl, KeepAlive = true });
        Assert.Equal(3, await store.DeleteTreeAsync(_root));
    }

    [Fact]
    public async Task A_wrong_password_is_a_clear_authentication_error_without_the_password()
    {
        await using var store = new EtcdKvStore($"etcd://root:not-the-password@127.0.0.1:{fixture.Server.Port}");
        var error = await Assert.ThrowsAsync<KvAuthenticationException>(() => store.GetAsync(K("a")));
        Assert.Contains("invalid user name or password", error.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{fixture.Server.Port}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", error.ToString(), StringComparison.Ordinal);

        await using var watch = new StreamReader<KvPair?>(ct => store.WatchAsync(K("a"), cancellationToken: ct));
        await Assert.ThrowsAsync<KvAuthenticationException>(() => watch.Completion.WaitAsync(Patience));
    }

    [Fact]
    public async Task Missing_credentials_say_how_to_give_them()
    {
        await using var store = new EtcdKvStore(fixture.Server.ConnectionString);
        var error = await Assert.ThrowsAsync<KvAuthenticationException>(() => store.PutAsync(K("a"), V("1")));
        Assert.Contains("user:password@", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calls_and_watches_authenticate_again_after_a_server_restart()
    {
        await using var store = new EtcdKvStore(RootConnectionString);
        await store.PutAsync(K("r/before"), V("1"));
        await using var watch = new StreamReader<KvTreeChange>(ct => store.WatchTreeAsync(K("r"), cancellationToken: ct));
        Assert.Single((await watch.NextAsync(Patience, "the snapshot")).Snapshot);

        // etcd's simple tokens live in the server's memory: after a restart every old token is invalid.
        await fixture.Server.StopAsync();
        await fixture.Server.StartAsync();

        await EventuallyAsync(
            async () =>
            {
                try
                {
                    await store.PutAsync(K("r/after"), V("2"));
                    return true;
                }
                catch (KvUnavailableException)
                {
                    return false;
                }
            },
            Patience,
            "a write after the restart");
        var change = await watch.NextMatchingAsync(c => c.Events.Any(e => e.Key == K("r/after")) || c.Snapshot.Any(p => p.Key == K("r/after")), Patience, "the write after the restart");
        Assert.NotNull(change);
        await store.DeleteTreeAsync(_root);
    }

    private string K(string relative) => $"{_root}/{relative}";
}
