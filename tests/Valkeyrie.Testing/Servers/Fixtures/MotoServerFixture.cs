namespace Valkeyrie.Testing.Servers.Fixtures;

/// <summary>Shares a moto server across a test collection; override <see cref="CreateOptions"/> to configure it.</summary>
public class MotoServerFixture : ServerFixture<MotoServer>
{
    /// <summary>The options the server starts with; defaults unless overridden.</summary>
    protected virtual MotoServerOptions CreateOptions() => new();

    /// <inheritdoc />
    protected override Task<MotoServer> StartServerAsync() => MotoServer.StartNewAsync(CreateOptions());
}
