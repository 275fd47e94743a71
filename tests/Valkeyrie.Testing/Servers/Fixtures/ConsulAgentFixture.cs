namespace Valkeyrie.Testing.Servers.Fixtures;

/// <summary>Shares a Consul agent across a test collection; override <see cref="CreateOptions"/> to configure it.</summary>
public class ConsulAgentFixture : ServerFixture<ConsulAgent>
{
    /// <summary>The options the server starts with; defaults unless overridden.</summary>
    protected virtual ConsulAgentOptions CreateOptions() => new();

    /// <inheritdoc />
    protected override Task<ConsulAgent> StartServerAsync() => ConsulAgent.StartNewAsync(CreateOptions());
}
