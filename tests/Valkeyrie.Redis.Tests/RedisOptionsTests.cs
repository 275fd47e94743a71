using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Valkeyrie.Redis.Tests;

/// <summary>Connection strings and behaviour without a server; no redis-server needed.</summary>
public sealed class RedisOptionsTests
{
    [Fact]
    public void Connection_string_parameters_become_options()
    {
        var options = RedisKvStoreOptions.Parse("redis://u:p@h1:7000,h2?db=3&timeout=2s&connectTimeout=750ms&logLength=500&sweepInterval=2s&pollInterval=5s&serviceName=main");
        Assert.Equal(["h1:7000", "h2:6379"], options.Endpoints);
        Assert.Equal("u", options.User);
        Assert.Equal("p", options.Password);
        Assert.Equal(3, options.Database);
        Assert.Equal(TimeSpan.FromSeconds(2), options.OperationTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(750), options.ConnectTimeout);
        Assert.Equal(500, options.ChangeLogLength);
        Assert.Equal(TimeSpan.FromSeconds(2), options.ExpirySweepInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), options.PollInterval);
        Assert.Equal("main", options.ServiceName);
        Assert.False(options.UseSsl);

        var client = options.ToClientConfiguration();
        Assert.Equal(2000, client.AsyncTimeout);
        Assert.Equal(750, client.ConnectTimeout);
        Assert.Equal(3, client.DefaultDatabase);
        Assert.Equal("u", client.User);
        Assert.Equal("main", client.ServiceName);
    }

    [Fact]
    public void Query_credentials_win_and_rediss_means_tls()
    {
        var options = RedisKvStoreOptions.Parse("rediss://x:y@cache.example:6380?user=app&password=s3cret&sslHost=cache.example");
        Assert.Equal("app", options.User);
        Assert.Equal("s3cret", options.Password);
        Assert.True(options.UseSsl);
        Assert.Equal("cache.example", options.ToClientConfiguration().SslHost);
        Assert.False(RedisKvStoreOptions.Parse("rediss://h?ssl=false").UseSsl);
        Assert.DoesNotContain("s3cret", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_stackexchange_configuration_string_passes_through_and_wins()
    {
        var options = RedisKvStoreOptions.Parse("redis://h:1?timeout=2s&config=" + Uri.EscapeDataString("syncTimeout=1234,keepAlive=7,name=orders"));
        var client = options.ToClientConfiguration();
        Assert.Equal(1234, client.SyncTimeout);
        Assert.Equal(2000, client.AsyncTimeout);
        Assert.Equal(7, client.KeepAlive);
        Assert.Equal("orders", client.ClientName);
    }

    [Theory]
    [InlineData("redis://h?colour=blue", "colour")]
    [InlineData("redis://h?db=x", "db")]
    [InlineData("redis://h?config=" + "notAnOption%3D1", "config")]
    [InlineData("redis://", "endpoint")]
    [InlineData("redis://h/2", "db=N")]
    public void Bad_connection_strings_are_configuration_errors(string connectionString, string mentioned)
    {
        var error = Assert.ThrowsAny<KvConfigurationException>(() => new RedisKvStore(connectionString));
        Assert.Contains(mentioned, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calls_fail_fast_with_unavailable_when_nothing_listens()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        await using var store = new RedisKvStore($"redis://127.0.0.1:{port}?connectTimeout=2s&timeout=2s");
        var stopwatch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<KvUnavailableException>(() => store.GetAsync("app/key").WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"took {stopwatch.Elapsed}");
        await Assert.ThrowsAsync<KvUnavailableException>(() => store.PutAsync("app/key", "x"u8.ToArray()).WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
