using Valkeyrie.Testing.Servers.Fixtures;

namespace Valkeyrie.Cli.Tests;

[CollectionDefinition(Name)]
public sealed class RedisCliCollection : ICollectionFixture<RedisServerFixture>
{
    public const string Name = "cli-redis";
}

[Collection(RedisCliCollection.Name)]
public sealed class RedisCliCommandTests(RedisServerFixture redis) : CliCommandTests
{
    protected override string Store => redis.Server.ConnectionString;
}

[Collection(RedisCliCollection.Name)]
public sealed class RedisCliProcessTests(RedisServerFixture redis) : CliProcessTests
{
    protected override string Store => redis.Server.ConnectionString;
}

[Collection(RedisCliCollection.Name)]
public sealed class RedisCliCopyTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Copy_moves_a_tree_between_two_backends_and_verifies_it()
    {
        var source = $"memory://cli-copy-{Guid.NewGuid():N}";
        var prefix = $"copy/{Guid.NewGuid():N}";
        foreach (var (key, value) in new[] { ("a", "1"), ("b/c", "2"), ("b/d", "3") })
        {
            Assert.Equal(0, (await CliRun.InProcessAsync(source, null, "put", $"{prefix}/{key}", value)).ExitCode);
        }

        var copy = await CliRun.InProcessAsync(redis.Server.ConnectionString, null, "copy", source, redis.Server.ConnectionString, "--prefix", prefix);
        Assert.Equal(0, copy.ExitCode);
        Assert.Contains("copied and verified 3 keys", copy.Stderr, StringComparison.Ordinal);
        Assert.Equal("2", (await CliRun.InProcessAsync(redis.Server.ConnectionString, null, "get", $"{prefix}/b/c")).Stdout);
    }
}

public sealed class CliUnavailableStoreTests
{
    [Fact]
    public async Task A_store_that_is_down_exits_3()
    {
        await using var stopped = await Valkeyrie.Testing.Servers.RedisServer.StartNewAsync();
        var store = stopped.ConnectionString;
        await stopped.StopAsync();
        var result = await CliRun.InProcessAsync(store, null, "get", "x");
        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith("valkeyrie: ", result.Stderr, StringComparison.Ordinal);
    }
}
