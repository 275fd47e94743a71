namespace Valkeyrie.Runtime.Tests;

public sealed class KvConnectionStringTests
{
    [Fact]
    public void Parses_hosts_ports_path_and_parameters()
    {
        var cs = KvConnectionString.Parse("zookeeper://h1:2181,h2,[::1]:2182/chroot/app?timeout=5s&Digest=user%3Apw");
        Assert.Equal("zookeeper", cs.Scheme);
        Assert.Equal([new KvEndpoint("h1", 2181), new KvEndpoint("h2", null), new KvEndpoint("::1", 2182)], cs.Endpoints);
        Assert.Equal("/chroot/app", cs.Path);
        Assert.Equal(TimeSpan.FromSeconds(5), cs.GetTimeSpan("TIMEOUT", TimeSpan.Zero));
        Assert.Equal("user:pw", cs.Get("digest"));
        Assert.False(cs.IsOpaque);
    }

    [Fact]
    public void Parses_user_info_and_hides_secrets_in_ToString()
    {
        var cs = KvConnectionString.Parse("redis://admin:s3cret@127.0.0.1:6379?password=p4ss&token=t0k&db=2");
        Assert.Equal("admin", cs.UserName);
        Assert.Equal("s3cret", cs.Password);
        var shown = cs.ToString();
        Assert.DoesNotContain("s3cret", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("p4ss", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("t0k", shown, StringComparison.Ordinal);
        Assert.Contains("db=2", shown, StringComparison.Ordinal);
        Assert.Equal(2, cs.GetInt32("db", 0));
    }

    [Theory]
    [InlineData("litedb:./config.db", "./config.db")]
    [InlineData("litedb:/abs/path.db", "/abs/path.db")]
    [InlineData("LiteDB:C:/data/x.db", "C:/data/x.db")]
    public void Parses_the_opaque_file_form(string text, string path)
    {
        var cs = KvConnectionString.Parse(text);
        Assert.Equal("litedb", cs.Scheme);
        Assert.True(cs.IsOpaque);
        Assert.Equal(path, cs.Path);
    }

    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("2s", 2000)]
    [InlineData("1.5", 1500)]
    [InlineData("1m", 60000)]
    [InlineData("00:00:03", 3000)]
    public void Parses_durations(string text, double milliseconds)
    {
        var cs = KvConnectionString.Parse($"memory://?d={text}");
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), cs.GetTimeSpan("d", TimeSpan.Zero));
    }

    [Theory]
    [InlineData("no-scheme-here", "must start with a scheme")]
    [InlineData("redis://h:99999", "invalid port")]
    [InlineData("redis://:6379", "empty host")]
    [InlineData("redis://h?db=1&db=2", "more than once")]
    [InlineData("consul://a%2Fb", "invalid host")] // found by the fuzzer: a UriFormatException from the Consul options
    [InlineData("redis://h o:6379", "invalid host")]
    [InlineData("redis://[not-an-ip]:6379", "invalid host")]
    [InlineData("litedb:x.db?a,b?digest=v", "malformed parameter name")] // found by the fuzzer: hid a secret from redaction
    [InlineData("redis://h?=v", "malformed parameter name")]
    public void Malformed_strings_get_a_clear_error(string text, string message)
    {
        var error = Assert.Throws<KvConfigurationException>(() => KvConnectionString.Parse(text));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_longer_than_a_dns_name_is_invalid() // found by the fuzzer: a UriFormatException from the Consul options
    {
        var error = Assert.Throws<KvConfigurationException>(() => KvConnectionString.Parse("consul://" + new string('a', 16_000)));
        Assert.Contains("invalid host", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 500, "the message repeats the whole host");
    }

    [Theory]
    [InlineData("9999999999h")] // found by the fuzzer: OverflowException from TimeSpan
    [InlineData("1e300s")]
    [InlineData("1e308ms")]
    public void Durations_too_long_for_a_TimeSpan_are_invalid_not_an_overflow(string text)
    {
        Assert.False(KvConnectionString.TryParseDuration(text, out _));
        var error = Assert.Throws<KvConfigurationException>(() => KvConnectionString.Parse($"redis://h?timeout={text}").GetTimeSpan("timeout", TimeSpan.Zero));
        Assert.Contains("'timeout' must be a duration", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("etcd:root:hunter2@127.0.0.1:2379")] // found by the fuzzer: the '//' forgotten put credentials in the path
    [InlineData("consul:///root:hunter2@127.0.0.1")]
    public void Credentials_that_landed_in_the_path_are_hidden(string text) =>
        Assert.DoesNotContain("hunter2", KvConnectionString.Parse(text).ToString(), StringComparison.Ordinal);

    [Fact]
    public void Bad_parameter_values_name_the_parameter_but_never_a_secret()
    {
        var cs = KvConnectionString.Parse("redis://h?db=abc&password=hunter2");
        Assert.Contains("'db' must be an integer (was 'abc')", Assert.Throws<KvConfigurationException>(() => cs.GetInt32("db", 0)).Message, StringComparison.Ordinal);
        var secret = Assert.Throws<KvConfigurationException>(() => cs.GetInt32("password", 0));
        Assert.DoesNotContain("hunter2", secret.Message, StringComparison.Ordinal);
    }
}

public sealed class KvStoreFactoryTests
{
    [Fact]
    public async Task Memory_scheme_is_built_in()
    {
        await using var a = KvStoreFactory.Create("memory://factory-shared");
        await using var b = KvStoreFactory.Create("memory://factory-shared");
        await using var isolated = KvStoreFactory.Create("memory://");
        await a.PutAsync("k", "v"u8.ToArray());
        Assert.NotNull(await b.GetAsync("k"));
        Assert.Null(await isolated.GetAsync("k"));
    }

    [Fact]
    public void Unknown_scheme_lists_the_known_ones_and_their_packages()
    {
        var error = Assert.Throws<KvConfigurationException>(() => KvStoreFactory.Create("mongo://h"));
        Assert.Contains("Unknown store scheme 'mongo'", error.Message, StringComparison.Ordinal);
        Assert.Contains("consul (Valkeyrie.Consul", error.Message, StringComparison.Ordinal);
        Assert.Contains("litedb (Valkeyrie.LiteDB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Known_scheme_without_its_package_says_which_package_to_add()
    {
        var error = Assert.Throws<KvConfigurationException>(() => KvStoreFactory.Create("dynamodb://?table=t"));
        Assert.Contains("provided by the Valkeyrie.DynamoDB package", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registered_factories_are_used()
    {
        KvStoreFactory.Register("test-scheme", cs => new MemoryKvStore());
        Assert.IsType<MemoryKvStore>(KvStoreFactory.Create("test-scheme://x"));
        Assert.Contains("test-scheme", KvStoreFactory.RegisteredSchemes);
    }
}

public sealed class KvExceptionTests
{
    [Fact]
    public void Message_names_backend_endpoint_and_key()
    {
        var error = new KvUnavailableException("redis", "127.0.0.1:6379", "app/db", "the server did not answer within 5 s; check that it is running.");
        Assert.Equal("redis at 127.0.0.1:6379, key 'app/db': the server did not answer within 5 s; check that it is running.", error.Message);
        Assert.IsAssignableFrom<KvException>(error);
        Assert.Equal("app/db", error.Key);
    }

    [Fact]
    public void Pair_ToString_never_shows_the_value()
    {
        var pair = new KvPair("app/password", "hunter2"u8.ToArray(), 7);
        Assert.DoesNotContain("hunter2", pair.ToString(), StringComparison.Ordinal);
    }
}
