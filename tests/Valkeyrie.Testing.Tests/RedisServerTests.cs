using Valkeyrie.Testing.Servers;

namespace Valkeyrie.Testing.Tests;

public sealed class RedisServerTests
{
    [Fact]
    public async Task Serves_enforces_passwords_and_keeps_data_across_stop_start_and_kill()
    {
        var server = await RedisServer.StartNewAsync(new RedisServerOptions
        {
            Password = "secret-pw",
            AclUser = "app",
            AclPassword = "app-pw",
        });
        try
        {
            Assert.StartsWith("redis://127.0.0.1:", server.ConnectionString);
            Assert.Equal("OK", await server.ExecuteAsync("SET", "greeting", "hello"));

            var unauthenticated = await Assert.ThrowsAsync<InvalidOperationException>(
                () => RespClient.ExecuteAsync(server.Host, server.Port, [["GET", "greeting"]]));
            Assert.Contains("NOAUTH", unauthenticated.Message);
            Assert.Equal("hello", await RespClient.ExecuteAsync(server.Host, server.Port, [["AUTH", "app", "app-pw"], ["GET", "greeting"]]));

            await RestartAssertions.StopThenStartOnSamePortAsync(server);
            Assert.Equal("hello", await server.ExecuteAsync("GET", "greeting"));

            // Every write is fsynced to the append-only file, so even a crash loses nothing.
            Assert.Equal("OK", await server.ExecuteAsync("SET", "after-restart", "still here"));
            await server.KillAsync();
            Assert.False(FreePort.IsListening(server.Port));
            await server.StartAsync();
            Assert.Equal("still here", await server.ExecuteAsync("GET", "after-restart"));
        }
        finally
        {
            await RestartAssertions.DisposeRemovesEverythingAsync(server);
        }
    }
}
