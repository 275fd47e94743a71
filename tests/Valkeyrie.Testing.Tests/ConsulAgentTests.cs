using System.Net;
using Valkeyrie.Testing.Servers;

namespace Valkeyrie.Testing.Tests;

public sealed class ConsulAgentTests
{
    [Fact]
    public async Task Serves_kv_and_keeps_it_across_stop_and_start()
    {
        var agent = await ConsulAgent.StartNewAsync();
        try
        {
            Assert.StartsWith("consul://127.0.0.1:", agent.ConnectionString);
            Assert.Null(agent.MasterToken);
            using (var put = await agent.SendAsync(HttpMethod.Put, "v1/kv/app/greeting", "hello"))
            {
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            }

            await RestartAssertions.StopThenStartOnSamePortAsync(agent);
            using var get = await agent.SendAsync(HttpMethod.Get, "v1/kv/app/greeting?raw");
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal("hello", await get.Content.ReadAsStringAsync());
        }
        finally
        {
            await RestartAssertions.DisposeRemovesEverythingAsync(agent);
        }
    }

    [Fact]
    public async Task With_acl_denies_anonymous_requests_and_allows_the_master_token()
    {
        await using var agent = await ConsulAgent.StartNewAsync(new ConsulAgentOptions { EnableAcl = true });
        Assert.False(string.IsNullOrEmpty(agent.MasterToken));
        using (var put = await agent.SendAsync(HttpMethod.Put, "v1/kv/app/secret", "s3cret"))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using (var anonymous = await LoopbackHttp.Client.GetAsync(new Uri(agent.HttpAddress, "v1/kv/app/secret")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
        }

        // The readiness probe writes with the master token, so a restart with ACLs on must work too.
        await agent.RestartAsync();
        using var get = await agent.SendAsync(HttpMethod.Get, "v1/kv/app/secret?raw");
        Assert.Equal("s3cret", await get.Content.ReadAsStringAsync());
    }
}
