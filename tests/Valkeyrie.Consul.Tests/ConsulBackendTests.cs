using System.Text;
using Valkeyrie.Testing.Servers;
using Valkeyrie.Testing.Servers.Fixtures;

namespace Valkeyrie.Consul.Tests;

/// <summary>Consul-specific behaviour beyond the conformance suite: limits, connection strings, failover, foreign keys.</summary>
[Collection(ConsulCollection.Name)]
public sealed class ConsulBackendTests(ConsulAgentFixture fixture) : IAsyncLifetime
{
    private readonly string _root = $"consul-backend/{Guid.NewGuid():N}";
    private ConsulKvStore _store = null!;

    public Task InitializeAsync()
    {
        _store = new ConsulKvStore(ConsulTarget.Options(fixture.Server));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _store.DeleteTreeAsync(_root);
        await _store.DisposeAsync();
    }

    [Fact]
    public async Task A_transaction_over_32_operations_is_rejected_before_anything_is_written()
    {
        var transaction = new KvTransaction();
        for (var i = 0; i < 33; i++)
        {
            transaction.Put($"{_root}/big/{i:D2}", V("x")); // 33 puts would be 66 of Consul's 64 operations
        }

        var error = await Assert.ThrowsAsync<KvLimitExceededException>(() => _store.CommitAsync(transaction));
        Assert.Contains("consul applies at most 32", error.Message, StringComparison.Ordinal);
        Assert.Empty(await _store.ListAsync(_root));

        var deletes = new KvTransaction().Put($"{_root}/big/kept", V("x"));
        for (var i = 0; i < 63; i++)
        {
            deletes.Delete($"{_root}/big/{i:D2}");
        }

        await Assert.ThrowsAsync<KvLimitExceededException>(() => _store.CommitAsync(deletes));
        Assert.Empty(await _store.ListAsync(_root));
    }

    [Fact]
    public async Task The_factory_creates_a_consul_store_from_a_connection_string()
    {
        await using var store = KvStoreFactory.Create(fixture.Server.ConnectionString + "?timeout=3s&waitTime=10s");
        Assert.IsType<ConsulKvStore>(store);
        await store.PutAsync($"{_root}/factory", V("made"));
        Assert.Equal("made", (await _store.GetAsync($"{_root}/factory"))?.ValueAsString);
    }

    [Fact]
    public async Task An_unreachable_first_agent_fails_over_to_the_next()
    {
        var options = new ConsulKvStoreOptions();
        options.Endpoints.Add(new Uri($"http://127.0.0.1:{FreePort.Next()}/"));
        options.Endpoints.Add(fixture.Server.HttpAddress);
        await using var store = new ConsulKvStore(options);
        await store.PutAsync($"{_root}/failover", V("reached"));
        Assert.Equal("reached", (await store.GetAsync($"{_root}/failover"))?.ValueAsString);
    }

    [Fact]
    public async Task No_reachable_agent_is_a_prompt_unavailable_error_naming_the_agents()
    {
        var port = FreePort.Next();
        await using var store = KvStoreFactory.Create($"consul://127.0.0.1:{port}?token=secret-token");
        var error = await Assert.ThrowsAsync<KvUnavailableException>(() => store.GetAsync("any/key").WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("any/key", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_written_by_other_tools_that_are_not_canonical_are_hidden()
    {
        // The Consul UI creates "folders" as keys ending in '/'; they must not show up as a second 'dir' key.
        using (var folder = await fixture.Server.SendAsync(HttpMethod.Put, $"v1/kv/{_root}/ui/dir/"))
        {
            folder.EnsureSuccessStatusCode();
        }

        using (var plain = await fixture.Server.SendAsync(HttpMethod.Put, $"v1/kv/{_root}/ui/dir/name", "consul kv put"))
        {
            plain.EnsureSuccessStatusCode();
        }

        Assert.Equal([$"{_root}/ui/dir/name"], (await _store.ListAsync($"{_root}/ui")).Select(p => p.Key));
        Assert.Equal("consul kv put", (await _store.GetAsync($"{_root}/ui/dir/name"))?.ValueAsString);
    }

    [Fact]
    public async Task Unknown_connection_string_parameters_are_named()
    {
        var error = Assert.Throws<KvConfigurationException>(() => ConsulKvStoreOptions.FromConnectionString("consul://127.0.0.1:8500?tokn=x&datacenter=dc1"));
        Assert.Contains("'tokn'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Connection_string_options_are_parsed()
    {
        var options = ConsulKvStoreOptions.FromConnectionString(
            "consul://h1,h2:8501?token=t&datacenter=dc2&namespace=team&tls=true&timeout=2s&waitTime=1m&minSessionTtl=1s");
        Assert.Equal([new Uri("https://h1:8500/"), new Uri("https://h2:8501/")], options.Endpoints);
        Assert.Equal("t", options.Token);
        Assert.Equal("dc2", options.Datacenter);
        Assert.Equal("team", options.Namespace);
        Assert.Equal(TimeSpan.FromSeconds(2), options.RequestTimeout);
        Assert.Equal(TimeSpan.FromMinutes(1), options.WaitTime);
        Assert.Equal(TimeSpan.FromSeconds(1), options.MinimumSessionTtl);
    }

    private static byte[] V(string text) => Encoding.UTF8.GetBytes(text);
}
