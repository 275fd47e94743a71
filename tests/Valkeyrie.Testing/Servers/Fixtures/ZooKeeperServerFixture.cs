namespace Valkeyrie.Testing.Servers.Fixtures;

/// <summary>Shares a ZooKeeper server across a test collection; override <see cref="CreateOptions"/> to configure it.</summary>
public class ZooKeeperServerFixture : ServerFixture<ZooKeeperServer>
{
    /// <summary>The options the server starts with; defaults unless overridden.</summary>
    protected virtual ZooKeeperServerOptions CreateOptions() => new();

    /// <inheritdoc />
    protected override Task<ZooKeeperServer> StartServerAsync() => ZooKeeperServer.StartNewAsync(CreateOptions());
}
