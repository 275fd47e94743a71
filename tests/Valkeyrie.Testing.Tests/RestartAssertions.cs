using Valkeyrie.Testing.Servers;

namespace Valkeyrie.Testing.Tests;

/// <summary>The checks every launcher test ends with: stop closes the ports, start reopens the same one, dispose cleans up.</summary>
internal static class RestartAssertions
{
    public static async Task StopThenStartOnSamePortAsync(ServerProcess server)
    {
        var port = server.Port;
        await server.StopAsync();
        Assert.False(server.IsRunning);
        Assert.False(FreePort.IsListening(port), $"{server.Name} still listens on {port} after StopAsync");

        await server.StartAsync();
        Assert.True(server.IsRunning);
        Assert.Equal(port, server.Port);
        Assert.True(FreePort.IsListening(port));
    }

    public static async Task DisposeRemovesEverythingAsync(ServerProcess server)
    {
        var port = server.Port;
        var dataDirectory = server.DataDirectory;
        await server.DisposeAsync();
        Assert.False(FreePort.IsListening(port), $"{server.Name} still listens on {port} after DisposeAsync");
        Assert.False(Directory.Exists(dataDirectory), $"{dataDirectory} survived DisposeAsync");
    }
}
