using Valkeyrie.Configuration.Internal;

namespace Valkeyrie.Configuration.Tests;

public sealed class PersistentMapTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Random_edits_match_a_dictionary_and_never_change_an_earlier_version(bool colliding)
    {
        var random = new Random(1234);
        var model = new Dictionary<string, int>(StringComparer.Ordinal);
        var versions = new List<(Dictionary<string, int> Model, object Map)>();
        var map = default(PersistentMap<string, int, OrdinalKey>);
        var weak = default(PersistentMap<string, int, WeakHash>);
        var owner = new object();
        for (var step = 0; step < 20_000; step++)
        {
            var key = "k" + random.Next(3_000);
            if (random.Next(3) == 0)
            {
                model.Remove(key);
                map = map.Remove(key, owner);
                weak = weak.Remove(key, owner);
            }
            else
            {
                model[key] = step;
                map = map.SetItem(key, step, owner);
                weak = weak.SetItem(key, step, owner);
            }

            if (step % 997 == 0)
            {
                // A published version: later edits under a new owner must copy, never change it.
                versions.Add((new Dictionary<string, int>(model), colliding ? weak : map));
                owner = new object();
            }
        }

        versions.Add((model, colliding ? weak : map));
        foreach (var (expected, version) in versions)
        {
            if (version is PersistentMap<string, int, WeakHash> w)
            {
                AssertSame(expected, w.Count, w.Enumerate(), k => (w.TryGetValue(k, out var v), v));
            }
            else
            {
                var m = (PersistentMap<string, int, OrdinalKey>)version;
                AssertSame(expected, m.Count, m.Enumerate(), k => (m.TryGetValue(k, out var v), v));
            }
        }
    }

    [Fact]
    public void Removing_every_key_leaves_an_empty_map()
    {
        var map = default(PersistentMap<string, int, WeakHash>);
        for (var i = 0; i < 500; i++)
        {
            map = map.SetItem("k" + i, i, owner: null);
        }

        for (var i = 0; i < 500; i++)
        {
            map = map.Remove("k" + i, owner: null);
        }

        Assert.Equal(0, map.Count);
        Assert.Empty(map.Enumerate());
    }

    [Fact]
    public void A_bulk_built_map_matches_a_dictionary_merges_equal_keys_and_takes_later_edits()
    {
        var random = new Random(42);
        var items = Enumerable.Range(0, 5_000).Select(_ => random.Next(2_000)).Select(i => new KeyValuePair<string, int>("k" + i, i)).ToList();
        var expected = items.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Sum(p => p.Value));

        var map = PersistentMap<string, int, OrdinalKey>.Create(items, static (a, b) => a + b, owner: null);
        var weak = PersistentMap<string, int, WeakHash>.Create(items, static (a, b) => a + b, owner: null);
        AssertSame(expected, map.Count, map.Enumerate(), k => (map.TryGetValue(k, out var v), v));
        AssertSame(expected, weak.Count, weak.Enumerate(), k => (weak.TryGetValue(k, out var v), v));

        foreach (var key in expected.Keys.Where((_, i) => i % 3 == 0).ToList())
        {
            expected.Remove(key);
            map = map.Remove(key, owner: null);
            weak = weak.Remove(key, owner: null);
        }

        expected["added"] = -1;
        map = map.SetItem("added", -1, owner: null);
        weak = weak.SetItem("added", -1, owner: null);
        AssertSame(expected, map.Count, map.Enumerate(), k => (map.TryGetValue(k, out var v), v));
        AssertSame(expected, weak.Count, weak.Enumerate(), k => (weak.TryGetValue(k, out var v), v));
    }

    private static void AssertSame(
        Dictionary<string, int> expected, int count, IEnumerable<KeyValuePair<string, int>> entries, Func<string, (bool Found, int Value)> lookup)
    {
        Assert.Equal(expected.Count, count);
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), entries.OrderBy(p => p.Key, StringComparer.Ordinal));
        foreach (var (key, value) in expected)
        {
            Assert.Equal((true, value), lookup(key));
        }

        Assert.False(lookup("missing").Found);
    }

    /// <summary>Few distinct hashes, so keys share every level of the trie and fill collision lists.</summary>
    private readonly struct WeakHash : IKeyComparer<string>
    {
        public static int Hash(string key) => key.Length % 2 == 0 ? 0x5555_5555 : unchecked((int)0xFFFF_FFFF) ^ (key.Length % 3);

        public static bool Equal(string x, string y) => string.Equals(x, y, StringComparison.Ordinal);
    }
}
