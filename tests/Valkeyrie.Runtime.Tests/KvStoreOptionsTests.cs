namespace Valkeyrie.Runtime.Tests;

/// <summary>The shared options vocabulary and its connection-string keys.</summary>
public sealed class KvStoreOptionsTests
{
    [Fact]
    public void The_shared_keys_are_read_into_the_shared_options()
    {
        var options = SampleOptions.Parse(
            "sample://alice:s3cret@h1:1,h2:2?timeout=7s&connectTimeout=2s&token=t0k&tls=true&ca=/ca.pem&cert=/c.pem&key=/k.pem&sni=kv.example");
        Assert.Equal(TimeSpan.FromSeconds(7), options.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), options.ConnectTimeout);
        Assert.Equal("alice", options.UserName);
        Assert.Equal("s3cret", options.Password);
        Assert.Equal("t0k", options.Token);
        Assert.True(options.Tls);
        Assert.Equal("/ca.pem", options.CaCertificatePath);
        Assert.Equal("/c.pem", options.ClientCertificatePath);
        Assert.Equal("/k.pem", options.ClientKeyPath);
        Assert.Equal("kv.example", options.ServerName);
        Assert.Same(TimeProvider.System, options.TimeProvider);
        Assert.Null(options.LoggerFactory);
    }

    [Fact]
    public void Absent_keys_keep_the_backend_defaults()
    {
        var options = SampleOptions.Parse("sample://h1");
        Assert.Equal(TimeSpan.FromSeconds(11), options.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), options.ConnectTimeout);
        Assert.False(options.Tls);
        Assert.Null(options.ServerName);
    }

    [Theory]
    [InlineData("sample://h1?timeout=soon", "timeout")]
    [InlineData("sample://h1?tls=maybe", "tls")]
    public void Malformed_shared_keys_name_the_key(string connectionString, string key)
    {
        var error = Assert.Throws<KvConfigurationException>(() => SampleOptions.Parse(connectionString));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_client_certificate_without_its_key_is_refused()
    {
        var error = Assert.Throws<KvConfigurationException>(() => SampleOptions.Parse("sample://h1?tls=true&cert=/c.pem"));
        Assert.Contains("key=", error.Message, StringComparison.Ordinal);
    }

    private sealed class SampleOptions : KvStoreOptions
    {
        public static SampleOptions Parse(string connectionString)
        {
            var options = ReadCommon(new SampleOptions { RequestTimeout = TimeSpan.FromSeconds(11) }, KvConnectionString.Parse(connectionString));
            options.ValidateCommon("sample");
            return options;
        }
    }
}
