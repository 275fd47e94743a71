namespace Valkeyrie.Testing.Servers.Fixtures;

/// <summary>Shares a dynalite server across a test collection; override <see cref="CreateOptions"/> to configure it.</summary>
public class DynaliteServerFixture : ServerFixture<DynaliteServer>
{
    /// <summary>The options the server starts with; defaults unless overridden.</summary>
    protected virtual DynaliteServerOptions CreateOptions() => new();

    /// <inheritdoc />
    protected override Task<DynaliteServer> StartServerAsync() => DynaliteServer.StartNewAsync(CreateOptions());
}
