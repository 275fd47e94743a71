using System.Text;
using System.Text.Json.Nodes;
using Valkeyrie.Testing.Conformance;

namespace Valkeyrie.Consul.Tests;

/// <summary>An agent with ACLs on (default deny): the token is used everywhere; a missing or wrong one is a clear error.</summary>
[Collection(ConsulAclCollection.Name)]
public sealed class ConsulAclTests(ConsulAclAgentFixture fixture)
{
    private readonly string _root = $"consul-acl/{Guid.NewGuid():N}";

    [Fact]
    public async Task The_token_is_accepted_for_every_kind_of_call()
    {
        await using var store = new ConsulKvStore(ConsulTarget.Options(fixture.Server));
        await using var watch = new StreamReader<KvTreeChange>(ct => store.WatchTreeAsync(_root, cancellationToken: ct));
        Assert.True((await watch.NextAsync(TimeSpan.FromSeconds(30), "the snapshot")).IsSnapshot);

        var written = await store.PutAsync($"{_root}/a", Encoding.UTF8.GetBytes("1"));
        Assert.Equal(written, await store.GetAsync($"{_root}/a"));
        Assert.Equal(written, (await watch.NextAsync(TimeSpan.FromSeconds(30), "the put")).Events.Single().Pair);
        Assert.True(await store.CommitAsync(new KvTransaction().CheckIndex($"{_root}/a", written.LastIndex).Put($"{_root}/b", Encoding.UTF8.GetBytes("2"))));
        await using (var lease = await store.CreateLock($"{_root}/lock").AcquireAsync().WaitAsync(TimeSpan.FromSeconds(30)))
        {
            Assert.True(await store.ExistsAsync($"{_root}/lock"));
        }

        Assert.Equal(2, await store.DeleteTreeAsync(_root));
    }

    [Fact]
    public async Task The_documented_acl_rules_are_enough_for_every_kind_of_call()
    {
        // The rules of docs/backends/consul.md, limited to this test's prefix.
        var policy = new JsonObject
        {
            ["Name"] = $"valkeyrie-{Guid.NewGuid():N}",
            ["Rules"] = $"key_prefix \"{_root}\" {{ policy = \"write\" }}\nsession_prefix \"\" {{ policy = \"write\" }}",
        };
        using (var created = await fixture.Server.SendAsync(HttpMethod.Put, "v1/acl/policy", policy.ToJsonString()))
        {
            created.EnsureSuccessStatusCode();
        }

        var tokenRequest = new JsonObject { ["Policies"] = new JsonArray(new JsonObject { ["Name"] = policy["Name"]!.GetValue<string>() }) };
        string token;
        using (var created = await fixture.Server.SendAsync(HttpMethod.Put, "v1/acl/token", tokenRequest.ToJsonString()))
        {
            created.EnsureSuccessStatusCode();
            token = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["SecretID"]!.GetValue<string>();
        }

        await using var store = new ConsulKvStore(ConsulTarget.Options(fixture.Server, token));
        var written = await store.PutAsync($"{_root}/ttl", Encoding.UTF8.GetBytes("1"), new KvWriteOptions { Ttl = TimeSpan.FromSeconds(30), KeepAlive = true });
        Assert.Equal(written, Assert.Single(await store.ListAsync(_root)));
        await using (var lease = await store.CreateLock($"{_root}/lock").AcquireAsync().WaitAsync(TimeSpan.FromSeconds(30)))
        {
            Assert.True(await store.ExistsAsync($"{_root}/lock"));
        }

        Assert.Equal(1, await store.DeleteTreeAsync(_root));
        await Assert.ThrowsAsync<KvAuthenticationException>(() => store.PutAsync("outside/the/prefix", Encoding.UTF8.GetBytes("x")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("00000000-dead-beef-0000-000000000000")]
    public async Task A_missing_or_wrong_token_is_an_authentication_error(string? token)
    {
        var options = ConsulTarget.Options(fixture.Server);
        options.Token = token;
        await using var store = new ConsulKvStore(options);

        var read = await Assert.ThrowsAsync<KvAuthenticationException>(() => store.GetAsync($"{_root}/x"));
        Assert.Contains("token", read.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<KvAuthenticationException>(() => store.PutAsync($"{_root}/x", Encoding.UTF8.GetBytes("1")));
        await Assert.ThrowsAsync<KvAuthenticationException>(() => store.CreateLock($"{_root}/lock").AcquireAsync().WaitAsync(TimeSpan.FromSeconds(30)));

        // A watch does not retry a rejected token forever: the error ends the stream.
        await using var watch = new StreamReader<KvPair?>(ct => store.WatchAsync($"{_root}/x", cancellationToken: ct));
        await Assert.ThrowsAsync<KvAuthenticationException>(() => watch.Completion.WaitAsync(TimeSpan.FromSeconds(30)));
        if (token is not null)
        {
            Assert.DoesNotContain(token, read.Message, StringComparison.Ordinal);
        }
    }
}
