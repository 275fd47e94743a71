using Microsoft.Extensions.Configuration;
using Valkeyrie.Configuration.Internal;

namespace Valkeyrie.Configuration.Tests;

/// <summary>The index on its own: bulk-built and delta-applied versions must answer exactly like the stock provider.</summary>
public sealed class ConfigurationIndexTests
{
    private static readonly KeyMapper Mapper = new(trimPrefix: false, expandJson: false);

    private static readonly string[] Keys =
    [
        "app/db/host", "app/db/Port", "app/db", "app/list/0", "app/list/10", "app/list/2", "app/list/1/name",
        "app/a-b/x", "app/a/x", "app/a0/x", "app/b:c/d", "app/b/e", "App2/x", "z/y/x/w/v",
    ];

    [Fact]
    public void A_bulk_built_index_lists_children_and_values_like_the_stock_provider()
    {
        var index = Build(Keys);
        var stock = Stock(Keys);

        AssertSameAsStock(stock, index, Keys);
    }

    [Fact]
    public void Deltas_after_a_bulk_build_and_a_resnapshot_after_deltas_match_the_stock_provider()
    {
        var builder = ConfigurationIndex.Empty(1).ToBuilder();
        builder.ReplaceLayer(0, string.Empty, Pairs(Keys), Mapper);
        var loaded = builder.ToImmutable();

        builder.SetStoreKey(0, string.Empty, "app/list/10", null, Mapper);
        builder.SetStoreKey(0, string.Empty, "app/db", null, Mapper);
        builder.SetStoreKey(0, string.Empty, "app/LIST/3", "v:app/LIST/3", Mapper);
        builder.SetStoreKey(0, string.Empty, "z/y/x/w/v", null, Mapper);
        builder.SetStoreKey(0, string.Empty, "app/db/host", "changed", Mapper);
        var changed = builder.TakeTouched();
        var afterDeltas = builder.ToImmutable();

        Assert.Equal(
            new[] { "app:db", "app:db:host", "app:LIST:3", "app:list:10", "z:y:x:w:v" }.Order(StringComparer.Ordinal),
            ConfigurationIndex.Diff(loaded, afterDeltas, changed).Order(StringComparer.Ordinal));
        var current = Keys.Except(["app/list/10", "app/db", "z/y/x/w/v"]).Append("app/LIST/3").ToArray();
        AssertSameAsStock(Stock(current, ("app:db:host", "changed")), afterDeltas, current);

        // The version published before the deltas is untouched by them.
        AssertSameAsStock(Stock(Keys), loaded, Keys);

        // A fresh snapshot (as after a reconnect) replaces the layer: only what differs is touched.
        var resnapshot = Keys.Except(["app/a/x"]).Append("app/new").ToArray();
        builder.ReplaceLayer(0, string.Empty, Pairs(resnapshot), Mapper);
        var touched = builder.TakeTouched();
        var resynchronised = builder.ToImmutable();
        Assert.Equal(
            new[] { "app:a:x", "app:db", "app:db:host", "app:LIST:3", "app:list:10", "app:new", "z:y:x:w:v" }.Order(StringComparer.Ordinal),
            ConfigurationIndex.Diff(afterDeltas, resynchronised, touched).Order(StringComparer.Ordinal));
        AssertSameAsStock(Stock(resnapshot), resynchronised, resnapshot);
        AssertSameAsStock(Stock(current, ("app:db:host", "changed")), afterDeltas, current);
    }

    [Fact]
    public void Keys_differing_only_in_case_are_one_configuration_key_whose_best_candidate_wins()
    {
        var index = Build(["app/Host", "app/host"]);

        Assert.Equal(1, index.Count);
        Assert.True(index.TryGetValue("APP:HOST", out var value));
        Assert.Equal("v:app/host", value); // the ordinal-greater store key wins a tie
        var children = new List<string>();
        index.AddChildrenTo(children, "APP");
        Assert.Single(children);
    }

    private static ConfigurationIndex Build(IEnumerable<string> storeKeys)
    {
        var builder = ConfigurationIndex.Empty(1).ToBuilder();
        builder.ReplaceLayer(0, string.Empty, Pairs(storeKeys), Mapper);
        return builder.ToImmutable();
    }

    private static List<KeyValuePair<string, string>> Pairs(IEnumerable<string> storeKeys) =>
        storeKeys.Order(StringComparer.Ordinal).Select(k => new KeyValuePair<string, string>(k, "v:" + k)).ToList();

    private static IConfigurationProvider Stock(IEnumerable<string> storeKeys, params (string Key, string Value)[] overrides)
    {
        var data = storeKeys.ToDictionary(k => k.Replace('/', ':'), k => (string?)("v:" + k), StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in overrides)
        {
            data[key] = value;
        }

        var root = new ConfigurationBuilder().AddInMemoryCollection(data).Build();
        return root.Providers.Single();
    }

    private static void AssertSameAsStock(IConfigurationProvider stock, ConfigurationIndex index, IEnumerable<string> storeKeys)
    {
        var configurationKeys = storeKeys.Select(k => k.Replace('/', ':')).ToList();
        Assert.Equal(configurationKeys.Distinct(StringComparer.OrdinalIgnoreCase).Count(), index.Count);

        // Every path, its upper-case form, the root, "" (keys starting with ':') and paths that do not exist.
        var paths = configurationKeys
            .SelectMany(k => k.Split(':').Select((_, i) => string.Join(':', k.Split(':').Take(i + 1))))
            .SelectMany(p => new[] { p, p.ToUpperInvariant() })
            .Append(null).Append(string.Empty).Append("missing").Append("app:db:host:deeper");
        foreach (var path in paths.Distinct())
        {
            var expected = stock.GetChildKeys([], path).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var actual = new List<string>();
            index.AddChildrenTo(actual, path);
            actual.Sort(ConfigurationKeyComparer.Instance);
            Assert.True(
                expected.SequenceEqual(actual, StringComparer.OrdinalIgnoreCase),
                $"Children of '{path}': expected [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}].");

            if (path is not null)
            {
                Assert.Equal(stock.TryGet(path, out var stockValue), index.TryGetValue(path, out var value));
                Assert.Equal(stockValue, value);
            }
        }
    }
}
