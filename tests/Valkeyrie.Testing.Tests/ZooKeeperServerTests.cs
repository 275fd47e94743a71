using Valkeyrie.Testing.Servers;

namespace Valkeyrie.Testing.Tests;

public sealed class ZooKeeperServerTests
{
    [Fact]
    public async Task Serves_ttl_nodes_and_keeps_data_across_stop_and_start()
    {
        var server = await ZooKeeperServer.StartNewAsync();
        try
        {
            Assert.StartsWith("zookeeper://127.0.0.1:", server.ConnectionString);
            Assert.Equal("imok", await server.SendFourLetterWordAsync("ruok"));
            await using (var session = await RawZooKeeperSession.ConnectAsync(server.Host, server.Port))
            {
                await session.CreateAsync("/greeting", "hello");
                // Only accepted when the server runs with extended types (TTL nodes) enabled.
                await session.CreateAsync("/ttl-node", "short-lived", TimeSpan.FromHours(1));
            }

            await RestartAssertions.StopThenStartOnSamePortAsync(server);
            await using (var session = await RawZooKeeperSession.ConnectAsync(server.Host, server.Port))
            {
                Assert.Equal("hello", await session.GetDataAsync("/greeting"));
                Assert.Equal("short-lived", await session.GetDataAsync("/ttl-node"));
            }
        }
        finally
        {
            await RestartAssertions.DisposeRemovesEverythingAsync(server);
        }
    }
}
