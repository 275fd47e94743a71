using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Valkeyrie.Testing.Servers;

namespace Valkeyrie.Testing.Tests;

public sealed class EtcdServerTests
{
    [Fact]
    public async Task Serves_the_v3_api_and_keeps_data_across_stop_and_start()
    {
        var server = await EtcdServer.StartNewAsync();
        try
        {
            Assert.StartsWith("etcd://127.0.0.1:", server.ConnectionString);
            Assert.NotEqual(server.Port, server.PeerPort);
            using (var put = await PostAsync(server, "v3/kv/put", new { key = Base64("app/greeting"), value = Base64("hello") }))
            {
                Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
            }

            await RestartAssertions.StopThenStartOnSamePortAsync(server);
            Assert.True(FreePort.IsListening(server.PeerPort));
            using var range = await PostAsync(server, "v3/kv/range", new { key = Base64("app/greeting") });
            using var body = JsonDocument.Parse(await range.Content.ReadAsStringAsync());
            Assert.Equal(Base64("hello"), body.RootElement.GetProperty("kvs")[0].GetProperty("value").GetString());
        }
        finally
        {
            await RestartAssertions.DisposeRemovesEverythingAsync(server);
        }
    }

    [Fact]
    public async Task Etcdctl_helpers_enable_auth_and_compact()
    {
        await using var server = await EtcdServer.StartNewAsync(new EtcdServerOptions { RootPassword = "root-pw" });
        Assert.Equal("root-pw", server.RootPassword);

        // etcdctl runs as root now; anonymous requests are refused.
        await server.RunEtcdctlAsync("put", "app/a", "1");
        await server.RunEtcdctlAsync("put", "app/a", "2");
        using (var anonymous = await PostAsync(server, "v3/kv/put", new { key = Base64("app/b"), value = Base64("x") }))
        {
            Assert.False(anonymous.IsSuccessStatusCode);
        }

        var revision = await server.GetRevisionAsync();
        Assert.True(revision >= 3, $"revision {revision}");
        Assert.Equal(revision, await server.CompactAsync());

        // History before the compaction is gone; the latest value is not.
        var old = await Assert.ThrowsAsync<InvalidOperationException>(() => server.RunEtcdctlAsync("get", "app/a", "--rev=2"));
        Assert.Contains("compacted", old.Message);
        Assert.Contains("2", await server.RunEtcdctlAsync("get", "app/a", "--print-value-only"));

        // Authentication is stored with the data, so it is still on after a restart.
        await server.RestartAsync();
        Assert.Contains("2", await server.RunEtcdctlAsync("get", "app/a", "--print-value-only"));
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static Task<HttpResponseMessage> PostAsync(EtcdServer server, string path, object body) =>
        LoopbackHttp.Client.PostAsJsonAsync(new Uri(server.ClientUrl, path), body);
}
