using Microsoft.Extensions.Configuration;
using Valkeyrie.Sections;

namespace Valkeyrie.Generators.IntegrationTests;

/// <summary>Binding from IConfiguration (what AddKvSection uses) without ConfigurationBinder.</summary>
public sealed class ConfigurationBindingTests
{
    [Fact]
    public void Every_supported_type_binds_from_configuration_built_from_its_pairs()
    {
        var configuration = Build(Samples.AsConfiguration(
            Samples.Scalars().ToKvPairs()
                .Concat(Samples.Collections().ToKvPairs())
                .Concat(Samples.Record().ToKvPairs())
                .Concat(Samples.Json().ToKvPairs())));

        Samples.AssertEqual(Samples.Scalars(), Bind<ScalarSection>(configuration));
        Samples.AssertEqual(Samples.Collections(), Bind<CollectionSection>(configuration));
        Assert.Equal(Samples.Record().Extra, Bind<RecordSection>(configuration).Extra);
        Samples.AssertEqual(Samples.Json(), Bind<JsonSection>(configuration));
    }

    [Fact]
    public void Binds_the_keys_present_keeps_defaults_and_ignores_unknown_keys()
    {
        var configuration = Build(new()
        {
            ["app:db:host"] = "db.internal", // configuration keys ignore case
            ["app:db:Retry:Count"] = "7",
            ["app:db:Replicas:0"] = "r0",
            ["app:db:Replicas:1"] = "r1",
            ["app:db:pool-size"] = "20",
            ["app:db:Unknown"] = "ignored",
            ["app:db:Retry:Unknown:Deep"] = "ignored",
        });

        var settings = DbSettings.Bind(configuration.GetSection(DbSettings.ConfigurationPath));

        Assert.Equal("db.internal", settings.Host);
        Assert.Equal(5432, settings.Port);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.ConnectTimeout);
        Assert.Equal(7, settings.Retry.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(200), settings.Retry.Delay);
        Assert.Equal(["r0", "r1"], settings.Replicas);
        Assert.Equal(20, settings.PoolSize);
    }

    [Fact]
    public void Bad_value_names_the_key_the_type_and_the_format_but_not_the_value()
    {
        var configuration = Build(new() { ["app:db:Port"] = "abc-secret" });

        var error = Assert.Throws<KvBindingException>(() => DbSettings.Bind(configuration.GetSection("app:db")));

        Assert.Equal(
            "The value at 'app:db:Port' is not a valid Int32: expected an integer from -2147483648 to 2147483647, for example 5432. "
            + "(The value is not shown because it may be a secret.)",
            error.Message);
        Assert.Equal("app:db:Port", error.Path);
        Assert.Equal("Int32", error.TargetType);
        Assert.DoesNotContain("abc", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Flag", "yes", "Boolean")]
    [InlineData("Color", "Purple", "one of Red, Green, Blue")]
    [InlineData("TimeSpan", "5 seconds", "TimeSpan")]
    [InlineData("Guid", "not-a-guid", "Guid")]
    [InlineData("Bytes", "%%%", "base64")]
    [InlineData("Char", "ab", "exactly one character")]
    public void Bad_values_of_other_types_name_their_format(string member, string value, string expected)
    {
        var configuration = Build(new() { ["it:scalars:" + member] = value });

        var error = Assert.Throws<KvBindingException>(() => ScalarSection.Bind(configuration.GetSection(ScalarSection.ConfigurationPath)));

        Assert.Contains("'it:scalars:" + member + "'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_members_bind_from_a_json_value_or_from_expanded_sub_keys()
    {
        var fromText = Build(new() { ["app:db:Routes"] = """{"/a":["x","y"]}""" });
        var fromKeys = Build(new() { ["app:db:Routes:/a:0"] = "x", ["app:db:Routes:/a:1"] = "y" });

        Assert.Equal(["x", "y"], DbSettings.Bind(fromText.GetSection("app:db")).Routes["/a"]);
        Assert.Equal(["x", "y"], DbSettings.Bind(fromKeys.GetSection("app:db")).Routes["/a"]);
    }

    [Fact]
    public void Invalid_json_names_the_key()
    {
        var configuration = Build(new() { ["app:db:Routes"] = "{not json" });

        var error = Assert.Throws<KvBindingException>(() => DbSettings.Bind(configuration.GetSection("app:db")));

        Assert.Contains("'app:db:Routes'", error.Message, StringComparison.Ordinal);
        Assert.Contains("JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_values_of_non_string_scalars_keep_defaults()
    {
        var configuration = Build(new() { ["app:db:Port"] = "", ["app:db:Host"] = "" });

        var settings = DbSettings.Bind(configuration.GetSection("app:db"));

        Assert.Equal(5432, settings.Port);
        Assert.Equal(string.Empty, settings.Host);
    }

    [Fact]
    public void Sections_nested_in_types_and_in_the_global_namespace_bind()
    {
        var configuration = Build(new() { ["it:nested:Name"] = "n", ["it:global:Value"] = "3" });

        Assert.Equal("n", Bind<Holder.NestedSection>(configuration).Name);
        Assert.Equal(3, Bind<GlobalSection>(configuration).Value);
    }

    // What AddKvSection<T>() does: static abstract members, no reflection.
    private static T Bind<T>(IConfiguration configuration)
        where T : class, IKvSection<T> =>
        T.Bind(configuration.GetSection(T.ConfigurationPath));

    private static IConfigurationRoot Build(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
