using System.Text;
using Valkeyrie.Testing.Servers.Fixtures;

namespace Valkeyrie.ZooKeeper.Tests;

/// <summary>Digest authentication with creator-only ACLs on a chroot.</summary>
[Collection(ZooKeeperCollection.Name)]
public sealed class ZooKeeperAuthTests(ZooKeeperServerFixture fixture)
{
    private readonly string _chroot = $"/secure-{Guid.NewGuid():N}";

    [Fact]
    public async Task Creator_acl_keeps_out_other_and_anonymous_clients()
    {
        var server = fixture.Server.ConnectionString + _chroot;
        await using var owner = ZooKeeperTarget.Connect(server, "digest=alice:s3cret&acl=creator");
        await owner.PutAsync("config/db", Encoding.UTF8.GetBytes("password-value"));

        await using var anonymous = ZooKeeperTarget.Connect(server);
        var denied = await Assert.ThrowsAsync<KvAuthenticationException>(() => anonymous.GetAsync("config/db"));
        Assert.Contains("config/db", denied.Message, StringComparison.Ordinal);
        Assert.Contains("digest", denied.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<KvAuthenticationException>(() => anonymous.PutAsync("config/db", Encoding.UTF8.GetBytes("x")));

        await using var intruder = ZooKeeperTarget.Connect(server, "digest=mallory:guess");
        var wrong = await Assert.ThrowsAsync<KvAuthenticationException>(() => intruder.GetAsync("config/db"));
        Assert.DoesNotContain("guess", wrong.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("password-value", wrong.Message, StringComparison.Ordinal);

        await using var sameUser = ZooKeeperTarget.Connect(server, "digest=alice:s3cret");
        Assert.Equal("password-value", (await sameUser.GetAsync("config/db"))?.ValueAsString);
        Assert.Single(await sameUser.ListAsync(""));
        await owner.DeleteTreeAsync("");
    }

    [Fact]
    public async Task Creator_acl_without_credentials_is_a_configuration_error() =>
        await Assert.ThrowsAsync<KvConfigurationException>(() => Task.FromResult(KvStoreFactory.Create(fixture.Server.ConnectionString + "?acl=creator")));
}
