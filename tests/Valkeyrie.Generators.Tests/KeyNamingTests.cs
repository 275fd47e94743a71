using Valkeyrie.Generators.Parsing;

namespace Valkeyrie.Generators.Tests;

public sealed class KeyNamingTests
{
    [Theory]
    [InlineData("ConnectTimeout", KeyNaming.KebabCase, "connect-timeout")]
    [InlineData("HTTPServerName", KeyNaming.KebabCase, "http-server-name")]
    [InlineData("Port2", KeyNaming.KebabCase, "port2")]
    [InlineData("IPAddress", KeyNaming.SnakeCase, "ip_address")]
    [InlineData("ConnectTimeoutMs", KeyNaming.SnakeCase, "connect_timeout_ms")]
    [InlineData("HTTPServerName", KeyNaming.CamelCase, "httpServerName")]
    [InlineData("Port", KeyNaming.CamelCase, "port")]
    [InlineData("ConnectTimeout", KeyNaming.MemberName, "ConnectTimeout")]
    public void Applies_policy(string name, int policy, string expected) =>
        Assert.Equal(expected, KeyNaming.Apply(name, policy));
}

public sealed class KeyNamingPolicyValuesTests
{
    // The generator reads the attribute's enum as an int; the two lists must stay in step.
    [Fact]
    public void Generator_constants_match_the_runtime_enum()
    {
        Assert.Equal((int)Valkeyrie.Sections.KvNamingPolicy.MemberName, KeyNaming.MemberName);
        Assert.Equal((int)Valkeyrie.Sections.KvNamingPolicy.CamelCase, KeyNaming.CamelCase);
        Assert.Equal((int)Valkeyrie.Sections.KvNamingPolicy.KebabCase, KeyNaming.KebabCase);
        Assert.Equal((int)Valkeyrie.Sections.KvNamingPolicy.SnakeCase, KeyNaming.SnakeCase);
    }
}
