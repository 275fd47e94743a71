namespace Valkeyrie.Testing.Servers.Fixtures;

/// <summary>Shares an etcd server across a test collection; override <see cref="CreateOptions"/> to configure it.</summary>
public class EtcdServerFixture : ServerFixture<EtcdServer>
{
    /// <summary>The options the server starts with; defaults unless overridden.</summary>
    protected virtual EtcdServerOptions CreateOptions() => new();

    /// <inheritdoc />
    protected override Task<EtcdServer> StartServerAsync() => EtcdServer.StartNewAsync(CreateOptions());
}
