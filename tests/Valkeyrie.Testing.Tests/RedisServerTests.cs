using System.Text.RegularExpressions;
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

            // A server that exits on its own can be started again too.
            await Assert.ThrowsAnyAsync<Exception>(() => server.ExecuteAsync("SHUTDOWN"));
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (server.IsRunning)
            {
                await Task.Delay(50, deadline.Token);
            }

            await server.StartAsync();
            Assert.Equal("hello", await server.ExecuteAsync("GET", "greeting"));
        }
        finally
        {
            await RestartAssertions.DisposeRemovesEverythingAsync(server);
        }
    }

    [Fact]
    public async Task A_server_that_cannot_start_fails_with_its_own_output_and_leaves_nothing_behind()
    {
        var options = new RedisServerOptions();
        options.ExtraConfig.Add("no-such-directive yes");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RedisServer.StartNewAsync(options));

        Assert.Contains("exited with code", error.Message);
        Assert.Contains("no-such-directive", error.Message); // redis-server's own complaint, from the output tail
        // The tail starts with the launch command, which names the config file in the data directory.
        var configFile = Regex.Match(error.Message, @"\S+/redis\.conf").Value;
        Assert.NotEmpty(configFile);
        Assert.False(Directory.Exists(Path.GetDirectoryName(configFile)), $"{configFile}'s directory survived a failed start");
    }
}
