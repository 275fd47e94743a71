using CsCheck;
using Valkeyrie.Consul;
using Valkeyrie.DynamoDB;
using Valkeyrie.Etcd;
using Valkeyrie.LiteDB;
using Valkeyrie.Redis;
using Valkeyrie.ZooKeeper;

namespace Valkeyrie.Fuzz.Tests;

/// <summary>
/// Random and hostile connection strings through the shared parser and every backend's options parser: each either
/// parses or fails with a <see cref="KvConfigurationException"/> (an <see cref="ArgumentException"/> for a bad argument),
/// never another exception, and no message or <c>ToString()</c> shows a secret. Encoded separators never inject parameters.
/// </summary>
public sealed class ConnectionStringFuzzTests
{
    private const string Secret = "Zq9-s3cr3t";

    private static readonly Dictionary<string, Func<KvConnectionString, object>> s_parsers = new(StringComparer.Ordinal)
    {
        ["redis"] = c => RedisKvStoreOptions.Parse(c),
        ["rediss"] = c => RedisKvStoreOptions.Parse(c),
        ["consul"] = ConsulKvStoreOptions.FromConnectionString,
        ["etcd"] = EtcdKvStoreOptions.Parse,
        ["zookeeper"] = ZooKeeperKvStoreOptions.FromConnectionString,
        ["dynamodb"] = DynamoDbKvStoreOptions.FromConnectionString,
        ["litedb"] = LiteDbKvStoreOptions.FromConnectionString,
    };

    private static readonly string[] s_parameterNames =
    [
        "password", "user", "token", "db", "ssl", "tls", "sslHost", "timeout", "connectTimeout", "pollInterval", "logLength",
        "config", "datacenter", "namespace", "waitTime", "minSessionTtl", "sessionTimeout", "requestTimeout", "table", "region",
        "serviceUrl", "accessKey", "secretKey", "createTable", "readonly", "ca", "cert", "key", "sni", "auth", "digest", "x", "",
    ];

    private static readonly Gen<string> s_hostile = Gen.Frequency<string>(
        (6, FuzzGen.KeyChar.Array[0, 12].Select(chars => new string(chars))),
        (4, Gen.OneOf(
            "", "%", "%G1", "%zz", "%%", "%00", "%0a", "%ZZ%", "a%26password%3Dx", "x&ssl=false", "1e300s", "-1", "-5s", "NaN",
            "Infinity", "99999999999999999999", "2147483648", "0", "00:00:00", "10675199.02:48:05.4775808", "-00:00:01", "9999999h",
            "1e308ms", "true", "yes", "maybe", "http://127.0.0.1:1", "https://[::1]:99999", "ftp://x", "file:///etc/passwd", "..", "/",
            "a,b", "=", "?", "#frag", "\\", "\"", "'", " ", "\t")),
        (1, Gen.Int[1_000, 20_000].Select(n => new string('a', n))),
        (1, Gen.Int[100, 2_000].Select(n => string.Concat(Enumerable.Repeat("%2", n)))));

    private static readonly Gen<string> s_scheme = Gen.Frequency<string>(
        (8, Gen.OneOf("redis", "rediss", "consul", "etcd", "zookeeper", "dynamodb", "litedb", "memory", "REDIS", "Consul")),
        (2, Gen.OneOf("http", "https", "unknown", "mysql", "re dis", "1redis", "", "redis+tls", "-", "é")),
        (1, Gen.Char['a', 'z'].Array[1, 8].Select(chars => new string(chars))));

    private static readonly Gen<string> s_host = Gen.Frequency<string>(
        (6, Gen.OneOf("127.0.0.1", "localhost", "[::1]", "h1", "")),
        (2, Gen.Select(Gen.OneOf("127.0.0.1", "h"), Gen.OneOf(":0", ":1", ":65535", ":65536", ":-1", ":abc", ":99999999999", ":", ":8500"), (h, p) => h + p)),
        (1, s_hostile));

    private static readonly Gen<string> s_userInfo = Gen.OneOf(
        "", "", "user@", $"user:{Secret}@", $":{Secret}@", $"a:{Uri.EscapeDataString(Secret + "@:/?")}@", "@", "@@", "%zz@");

    private static readonly Gen<string> s_parameter = Gen.Frequency<string>(
        (6, Gen.Select(Gen.OneOf(s_parameterNames), s_hostile, (name, value) => $"{name}={value}")),
        (2, Gen.OneOf("password", "token", "secretKey", "auth", "digest").Select(name => $"{name}={Secret}")),
        (1, s_hostile));

    private static readonly Gen<string> s_connectionString = Gen.Frequency<string>(
        (10, Gen.Select(
            s_scheme,
            Gen.OneOf("://", ":", ":/", ":///", "//", ""),
            s_userInfo,
            s_host.Array[0, 3].Select(hosts => string.Join(',', hosts)),
            Gen.OneOf("", "/", "/chroot", "//", "/a%2Fb", "/%", "/..", "/a b"),
            s_parameter.Array[0, 5].Select(parameters => parameters.Length == 0 ? string.Empty : "?" + string.Join('&', parameters)),
            (scheme, separator, user, hosts, path, query) => scheme + separator + user + hosts + path + query)),
        (1, s_hostile),
        (1, Gen.Int[10_000, 100_000].Select(n => "redis://" + new string('h', n))));

    [Fact]
    public void Every_connection_string_parses_or_fails_with_a_configuration_error_that_hides_secrets()
    {
        s_connectionString.Sample(
            text =>
            {
                KvConnectionString parsed;
                try
                {
                    parsed = KvConnectionString.Parse(text);
                }
                catch (KvConfigurationException e)
                {
                    AssertHidesSecret(e.Message, text);
                    return;
                }

                AssertHidesSecret(parsed.ToString(), text);
                if (!s_parsers.TryGetValue(parsed.Scheme, out var parse))
                {
                    if (parsed.Scheme == "memory")
                    {
                        return;
                    }

                    var unknown = Assert.Throws<KvConfigurationException>(() => KvStoreFactory.Create(parsed));
                    Assert.Contains("redis", unknown.Message, StringComparison.Ordinal); // lists the known schemes
                    AssertHidesSecret(unknown.Message, text);
                    return;
                }

                try
                {
                    AssertHidesSecret(parse(parsed).ToString() ?? string.Empty, text);
                }
                catch (Exception e) when (e is KvConfigurationException or ArgumentException)
                {
                    AssertHidesSecret(e.Message, text);
                }
            },
            iter: FuzzGen.LocalIterations * 4,
            print: text => FuzzGen.Describe(text));
    }

    [Theory]
    [InlineData("redis://127.0.0.1:6379?password=a%26ssl%3Dtrue", "a&ssl=true")]
    [InlineData("redis://127.0.0.1:6379?password=a%3Bssl%3Dtrue", "a;ssl=true")]
    [InlineData("redis://127.0.0.1:6379?password=a%2Cssl%3Dtrue", "a,ssl=true")]
    [InlineData("redis://u:a%2Cssl%3Dtrue%2Cpassword%3Dx@127.0.0.1:6379", "a,ssl=true,password=x")]
    public void Encoded_separators_stay_inside_the_value_and_inject_nothing(string text, string password)
    {
        var options = RedisKvStoreOptions.Parse(text);
        Assert.Equal(password, options.Password);
        Assert.False(options.UseSsl);
        Assert.Null(options.ClientConfiguration);
        Assert.Equal(["127.0.0.1:6379"], options.Endpoints);
    }

    [Theory]
    [InlineData("redis://127.0.0.1:6379?password=a&password=b")]
    [InlineData("consul://127.0.0.1:8500?token=a&TOKEN=b")]
    public void A_repeated_parameter_is_an_error_not_a_silent_override(string text)
    {
        var error = Assert.Throws<KvConfigurationException>(() => KvConnectionString.Parse(text));
        Assert.DoesNotContain("=a", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("=b", error.Message, StringComparison.Ordinal);
    }

    private static void AssertHidesSecret(string shown, string input) =>
        Assert.False(shown.Contains(Secret, StringComparison.Ordinal), $"a message or ToString shows the secret of '{FuzzGen.Describe(input)}': {FuzzGen.Describe(shown)}");
}
