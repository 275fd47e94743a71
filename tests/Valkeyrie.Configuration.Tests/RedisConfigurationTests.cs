using Microsoft.Extensions.Configuration;
using Valkeyrie.Configuration.Tests.Support;
using Valkeyrie.Redis;
using Valkeyrie.Testing.Servers;
using Valkeyrie.Testing.Servers.Fixtures;

namespace Valkeyrie.Configuration.Tests;

/// <summary>A redis-server of this project's own, stopped and restarted by the outage test.</summary>
public sealed class ConfigurationRedisFixture : RedisServerFixture
{
    public IKvStore Connect() => new RedisKvStore($"{Server.ConnectionString}?pollInterval=1s");
}

[CollectionDefinition(Name)]
public sealed class ConfigurationRedisCollection : ICollectionFixture<ConfigurationRedisFixture>
{
    public const string Name = "configuration-redis";
}

/// <summary>The provider on a real Redis server, including a server restart under a live provider.</summary>
[Collection(ConfigurationRedisCollection.Name)]
public sealed class RedisConfigurationTests(ConfigurationRedisFixture fixture)
{
    [Fact]
    public async Task Put_update_delete_and_transactions_reload()
    {
        var root = $"cfg{Guid.NewGuid():N}";
        await using var writer = fixture.Connect();
        await writer.PutAsync($"{root}/x", "1");
        using var configuration = (ConfigurationRoot)new ConfigurationBuilder().AddValkeyrie(fixture.Server.ConnectionString, s =>
        {
            s.Prefixes.Add(root);
            s.ReloadDelay = TimeSpan.Zero;
        }).Build();
        using var reloads = new ReloadRecorder(configuration);
        Assert.Equal("1", configuration[$"{root}:x"]);

        await writer.PutAsync($"{root}/x", "2");
        Assert.Equal([$"{root}:x"], await reloads.NextAsync("the update"));
        await writer.PutAsync($"{root}/x", "2");
        await writer.CommitAsync(new KvTransaction().Put($"{root}/a", Kv.Bytes("a")).Put($"{root}/b", Kv.Bytes("b")).Delete($"{root}/x"));
        Assert.Equal([$"{root}:a", $"{root}:b", $"{root}:x"], await reloads.NextAsync("the transaction"));
        Assert.Equal(2, reloads.Count);
        Assert.Null(configuration[$"{root}:x"]);
        await writer.DeleteTreeAsync(root);
    }

    [Fact]
    public async Task A_server_restart_keeps_the_data_and_later_changes_still_arrive()
    {
        var root = $"cfg{Guid.NewGuid():N}";
        await using (var seed = fixture.Connect())
        {
            await seed.PutAsync($"{root}/x", "before");
        }

        using var configuration = (ConfigurationRoot)new ConfigurationBuilder().AddValkeyrie(fixture.Connect, s =>
        {
            s.Prefixes.Add(root);
            s.ReloadDelay = TimeSpan.Zero;
        }).Build();
        using var reloads = new ReloadRecorder(configuration);

        await fixture.Server.StopAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => configuration.Provider().ProbeAsync());
        Assert.Equal("before", configuration[$"{root}:x"]);

        await fixture.Server.StartAsync();
        await using var writer = fixture.Connect();
        await writer.PutAsync($"{root}/x", "after");
        Assert.Equal([$"{root}:x"], await reloads.NextAsync("the change after the restart", TimeSpan.FromSeconds(60)));
        Assert.Equal("after", configuration[$"{root}:x"]);
        await configuration.Provider().ProbeAsync();
        await writer.DeleteTreeAsync(root);
    }

    [Fact]
    public void Startup_against_a_stopped_server_times_out_with_a_clear_error()
    {
        var port = FreePort.Next();
        var error = Assert.Throws<KvUnavailableException>(() => new ConfigurationBuilder().AddValkeyrie($"redis://127.0.0.1:{port}", s =>
        {
            s.Prefixes.Add("app");
            s.StartupTimeout = TimeSpan.FromSeconds(2);
        }).Build());
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
    }
}
