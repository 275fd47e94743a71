namespace Valkeyrie.Testing.Servers.Fixtures;

/// <summary>Shares a redis-server across a test collection; override <see cref="CreateOptions"/> to configure it.</summary>
public class RedisServerFixture : ServerFixture<RedisServer>
{
    /// <summary>The options the server starts with; defaults unless overridden.</summary>
    protected virtual RedisServerOptions CreateOptions() => new();

    /// <inheritdoc />
    protected override Task<RedisServer> StartServerAsync() => RedisServer.StartNewAsync(CreateOptions());
}
