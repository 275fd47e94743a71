namespace Valkeyrie.Testing.Servers.Fixtures;

/// <summary>
/// One server shared by the tests of an xunit collection (<c>ICollectionFixture&lt;T&gt;</c>) or class
/// (<c>IClassFixture&lt;T&gt;</c>): started before the first test, disposed after the last.
/// Subclass a concrete fixture and override its options to get, say, a password-protected server.
/// </summary>
/// <typeparam name="TServer">The launcher.</typeparam>
public abstract class ServerFixture<TServer> : IAsyncLifetime
    where TServer : ServerProcess
{
    private TServer? _server;

    /// <summary>The running server.</summary>
    /// <exception cref="InvalidOperationException">xunit has not initialized the fixture yet.</exception>
    public TServer Server => _server ?? throw new InvalidOperationException($"{GetType().Name} is not initialized yet.");

    /// <summary>Starts the server.</summary>
    public async Task InitializeAsync() => _server = await StartServerAsync();

    /// <summary>Stops the server and deletes its data.</summary>
    public async Task DisposeAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync();
        }
    }

    /// <summary>Creates and starts the server (the launcher's <c>StartNewAsync</c>).</summary>
    protected abstract Task<TServer> StartServerAsync();
}
