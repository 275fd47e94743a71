using Valkeyrie.Testing.Servers;
using Valkeyrie.Testing.Servers.Fixtures;

namespace Valkeyrie.Testing.Tests;

public sealed class ServerFixtureTests(ServerFixtureTests.PasswordRedisFixture fixture) : IClassFixture<ServerFixtureTests.PasswordRedisFixture>
{
    [Fact]
    public async Task A_fixture_shares_one_running_server_configured_by_its_options()
    {
        Assert.True(fixture.Server.IsRunning);
        Assert.Equal("fixture-pw", fixture.Server.Password);
        Assert.Equal("PONG", await fixture.Server.ExecuteAsync("PING"));
    }

    public sealed class PasswordRedisFixture : RedisServerFixture
    {
        protected override RedisServerOptions CreateOptions() => new() { Password = "fixture-pw" };
    }
}
