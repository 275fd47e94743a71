using Valkeyrie.Sections;

namespace Valkeyrie.Generators.IntegrationTests;

/// <summary>ToKvPairs → FromKvPairs for every supported type.</summary>
public sealed class PairRoundTripTests
{
    [Fact]
    public void Scalars_round_trip_as_invariant_text()
    {
        var expected = Samples.Scalars();

        var pairs = expected.ToKvPairs();

        Samples.AssertEqual(expected, ScalarSection.FromKvPairs(pairs));
        var text = pairs.ToDictionary(p => p.Key, p => p.ValueAsString);
        Assert.Equal("true", text["it/scalars/Flag"]);
        Assert.Equal("-2147483648", text["it/scalars/Int32"]);
        Assert.Equal("Blue", text["it/scalars/Color"]);
        Assert.Equal("Read, Admin", text["it/scalars/Permissions"]);
        Assert.Equal("-1.12:00:00", text["it/scalars/TimeSpan"][..11]);
        Assert.Equal("1999-12-31", text["it/scalars/DateOnly"]);
        Assert.Equal("AAEC+v8=", text["it/scalars/Bytes"]);
        Assert.Equal("https://example.com/a?b=c#d", text["it/scalars/AbsoluteUri"]);
        Assert.DoesNotContain("it/scalars/Missing", text.Keys);
        // A null Nullable<T> is an empty value, so it loads back null even over a non-null initializer (docs/generator.md).
        Assert.Equal(string.Empty, text["it/scalars/NullableMissing"]);
        Assert.All(pairs, p => Assert.Equal(0UL, p.LastIndex));
        Assert.Equal(pairs.Select(p => p.Key).Order(StringComparer.Ordinal), pairs.Select(p => p.Key));
    }

    [Fact]
    public void Scalars_parse_in_invariant_culture_whatever_the_current_culture()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            var expected = Samples.Scalars();
            var pairs = expected.ToKvPairs();

            Assert.Equal("0.30000000000000004", pairs.Single(p => p.Key == "it/scalars/Double").ValueAsString);
            Samples.AssertEqual(expected, ScalarSection.FromKvPairs(pairs));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Collections_use_indexed_and_named_sub_keys()
    {
        var expected = Samples.Collections();

        var pairs = expected.ToKvPairs();

        Samples.AssertEqual(expected, CollectionSection.FromKvPairs(pairs));
        var keys = pairs.Select(p => p.Key).ToHashSet();
        Assert.Contains("it/collections/Numbers/11", keys);
        Assert.Contains("it/collections/Endpoints/1/Host", keys);
        Assert.Contains("it/collections/NamedEndpoints/primary/Port", keys);
        Assert.Contains("it/collections/Labels/Team Name", keys);
        Assert.Contains("it/collections/Groups/odd/1", keys);
        Assert.Contains("it/collections/Matrix/1/0", keys);
        Assert.Contains("it/collections/Optional/1", keys); // null items leave no gap
        Assert.DoesNotContain("it/collections/Optional/2", keys);
        Assert.Equal(string.Empty, pairs.Single(p => p.Key == "it/collections/DefaultedList").ValueAsString);
    }

    [Fact]
    public void Records_with_constructor_init_and_required_members_round_trip()
    {
        var expected = Samples.Record();

        var actual = RecordSection.FromKvPairs(expected.ToKvPairs());

        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(8080, actual.Port);
        Assert.Equal("team-a", actual.Owner);
        Assert.Equal("us", actual.Region);
        Assert.Equal(expected.Credentials, actual.Credentials);
        Assert.Equal((5, "rps", 7), (actual.Limits.Max, actual.Limits.Unit, actual.Limits.Burst));
        Assert.Equal(expected.Extra, actual.Extra);
        Assert.Contains(expected.ToKvPairs(), p => p.Key == "it/records/svc-port");
    }

    [Fact]
    public void Absent_init_members_and_constructor_parameters_keep_their_defaults()
    {
        var actual = RecordSection.FromKvPairs(
        [
            Pair("it/records/Name", "n"),
            Pair("it/records/svc-port", "1"),
            Pair("it/records/Owner", "o"),
            Pair("it/records/Credentials/User", "u"),
            Pair("it/records/Limits/Max", "9"),
        ]);

        Assert.Equal("eu", actual.Region);
        Assert.Equal(1, actual.Credentials!.Level);
        Assert.Equal(("req", 10), (actual.Limits.Unit, actual.Limits.Burst));
        Assert.Empty(actual.Extra);
    }

    [Fact]
    public void Missing_required_value_names_the_key()
    {
        var error = Assert.Throws<KvBindingException>(() => RecordSection.FromKvPairs([Pair("it/records/Name", "n"), Pair("it/records/svc-port", "1")]));

        Assert.Equal("it/records/Owner", error.Path);
        Assert.Contains("'it/records/Owner' is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_members_are_one_json_value()
    {
        var expected = Samples.Json();

        var pairs = expected.ToKvPairs();

        Samples.AssertEqual(expected, JsonSection.FromKvPairs(pairs));
        var text = pairs.ToDictionary(p => p.Key, p => p.ValueAsString);
        Assert.Equal(["it/json/Origin", "it/json/Routes", "it/json/Rules", "it/json/Single"], text.Keys);
        Assert.Equal("""{"/api":["a","b"],"/ünïcode":["\"quoted\"","line\nbreak"]}""", text["it/json/Routes"]);
        Assert.Equal("""[{"Pattern":"*.txt","Codes":[200,404],"Weight":"Infinity"}]""", text["it/json/Rules"]);
        Assert.Equal("""{"Lat":48.85,"Lon":2.35}""", text["it/json/Origin"]);
    }

    [Fact]
    public void Naming_policy_applies_to_nested_members_and_KvKey_wins()
    {
        var section = new KebabSection { HTTPServerName = "h", ConnectTimeoutMs = 5, PrimaryEndpoint = new() { Host = "x", Port = 1 }, Overridden = 3 };

        var pairs = section.ToKvPairs();

        Assert.Equal(
            ["it/kebab/Explicit", "it/kebab/connect-timeout-ms", "it/kebab/http-server-name", "it/kebab/primary-endpoint/host", "it/kebab/primary-endpoint/port"],
            pairs.Select(p => p.Key));
        var back = KebabSection.FromKvPairs(pairs);
        Assert.Equal(("h", 5, 1, 3), (back.HTTPServerName, back.ConnectTimeoutMs, back.PrimaryEndpoint.Port, back.Overridden));
        Assert.Equal("it/kebab/http-server-name", KebabSection.Keys.HTTPServerName);
        Assert.Equal("it:kebab:http-server-name", KebabSection.ConfigurationKeys.HTTPServerName);
    }

    [Fact]
    public void Key_constants_and_paths()
    {
        Assert.Equal("app/db", DbSettings.SectionPath);
        Assert.Equal("app:db", DbSettings.ConfigurationPath);
        Assert.Equal("app/db/pool-size", DbSettings.Keys.PoolSize);
        Assert.Equal("app:db:Retry", DbSettings.ConfigurationKeys.Retry);
        Assert.Equal("it/nested", Holder.NestedSection.SectionPath);
        Assert.Equal("it/global/Value", GlobalSection.Keys.Value);
    }

    [Fact]
    public void Pairs_outside_the_section_and_unknown_keys_are_ignored()
    {
        var settings = DbSettings.FromKvPairs([Pair("app/db/Port", "1"), Pair("app/dbx/Port", "2"), Pair("app/db/Unknown/x", "3"), Pair("other/Port", "4")]);

        Assert.Equal(1, settings.Port);
        Assert.Equal("localhost", settings.Host);
    }

    [Fact]
    public void Bad_store_value_names_the_store_key_type_and_format_but_not_the_value()
    {
        var error = Assert.Throws<KvBindingException>(() => DbSettings.FromKvPairs([Pair("app/db/Port", "s3cr3t-abc")]));

        Assert.Equal("app/db/Port", error.Path);
        Assert.Contains("'app/db/Port' is not a valid Int32", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dictionary_keys_that_cannot_be_segments_are_rejected_when_writing()
    {
        var section = new CollectionSection { Limits = new() { ["a/b"] = 1 } };

        var error = Assert.Throws<ArgumentException>(() => section.ToKvPairs());

        Assert.Contains("'a/b'", error.Message, StringComparison.Ordinal);
        Assert.Contains("[KvJson]", error.Message, StringComparison.Ordinal);
    }

    internal static KvPair Pair(string key, string value) => new(key, System.Text.Encoding.UTF8.GetBytes(value), 1);
}
