namespace Valkeyrie.Etcd.Tests;

/// <summary>Connection strings and options; no server needed.</summary>
public sealed class EtcdOptionsTests
{
    [Fact]
    public void A_connection_string_gives_endpoints_credentials_tls_and_timeouts()
    {
        var options = EtcdKvStoreOptions.Parse(KvConnectionString.Parse(
            "etcd://user:p%40ss@h1:2379,h2,[::1]:2380?tls=true&ca=/etc/ca.pem&cert=/c.pem&key=/k.pem&timeout=2s&connectTimeout=500ms&maxTxnOps=256"));
        Assert.Equal([new KvEndpoint("h1", 2379), new KvEndpoint("h2", null), new KvEndpoint("::1", 2380)], options.Endpoints);
        Assert.Equal("user", options.UserName);
        Assert.Equal("p@ss", options.Password);
        Assert.True(options.UseTls);
        Assert.Equal("/etc/ca.pem", options.CaCertificatePath);
        Assert.Equal("/c.pem", options.ClientCertificatePath);
        Assert.Equal("/k.pem", options.ClientKeyPath);
        Assert.Equal(TimeSpan.FromSeconds(2), options.OperationTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.ConnectTimeout);
        Assert.Equal(256, options.MaxTransactionOperations);
    }

    [Fact]
    public void The_shared_names_and_the_old_aliases_are_the_same_options()
    {
        var options = EtcdKvStoreOptions.Parse("etcd://h1?tls=true&sni=kv.example&timeout=4s");
        Assert.True(options.Tls);
        Assert.Equal("kv.example", options.ServerName);
        Assert.Equal(TimeSpan.FromSeconds(4), options.RequestTimeout);
        options.UseTls = false;
        options.OperationTimeout = TimeSpan.FromSeconds(9);
        Assert.False(options.Tls);
        Assert.Equal(TimeSpan.FromSeconds(9), options.RequestTimeout);
        Assert.Throws<KvConfigurationException>(() => EtcdKvStoreOptions.Parse("etcd://h1?token=abc")); // etcd has no tokens
    }

    [Fact]
    public void Unknown_parameters_are_named_in_the_error()
    {
        var error = Assert.Throws<KvConfigurationException>(() => EtcdKvStoreOptions.Parse(KvConnectionString.Parse("etcd://h:2379?tls=true&namespace=x&dialTimeout=1s")));
        Assert.Contains("'namespace'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'dialTimeout'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("etcd://h:2379/chroot")]
    [InlineData("etcd:./file")]
    [InlineData("etcd://user@h:2379")]
    [InlineData("etcd://h:2379?ca=/ca.pem")]
    [InlineData("etcd://h:2379?tls=true&cert=/c.pem")]
    [InlineData("etcd://h:2379?timeout=0s")]
    [InlineData("etcd://h:2379?maxTxnOps=0")]
    public void Invalid_connection_strings_are_configuration_errors(string connectionString) =>
        Assert.Throws<KvConfigurationException>(() => EtcdKvStoreOptions.Parse(KvConnectionString.Parse(connectionString)));

    [Fact]
    public async Task The_factory_creates_an_etcd_store_and_secrets_stay_hidden()
    {
        await using var store = KvStoreFactory.Create("etcd://root:hunter2@127.0.0.1:2379,127.0.0.1:22379");
        var etcd = Assert.IsType<EtcdKvStore>(store);
        Assert.Equal("127.0.0.1:2379,127.0.0.1:22379", etcd.Endpoint);
        Assert.DoesNotContain("hunter2", etcd.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_endpoint_means_the_local_default()
    {
        await using var store = new EtcdKvStore(new EtcdKvStoreOptions());
        Assert.Equal("127.0.0.1:2379", store.Endpoint);
    }
}
