using CsCheck;

namespace Valkeyrie.Fuzz.Tests;

/// <summary>
/// Random and hostile keys on every backend, compared with the memory store: a key the model accepts round-trips
/// (put, get, exists, list under its parent, delete) everywhere; a key it rejects is rejected everywhere with the same
/// exception type and a message naming the rule.
/// </summary>
[Collection(FuzzBackendsCollection.Name)]
public sealed class KeyFuzzTests(FuzzBackends backends)
{
    [Fact]
    public async Task Every_backend_accepts_and_rejects_the_keys_the_model_does()
    {
        var value = "fuzz"u8.ToArray();
        await FuzzGen.Key.SampleAsync(
            async key =>
            {
                await using var model = new MemoryKvStore();
                var expected = await Lifecycle(model, key, value);
                foreach (var (name, store) in backends.Stores)
                {
                    var actual = await Lifecycle(store, key, value);
                    if (name == "zookeeper" && ZooKeeperRefuses(key))
                    {
                        // A documented backend rule (docs/backends): ZooKeeper refuses these characters in node names.
                        Assert.All(actual.Where((_, step) => step != 3), outcome => Assert.Equal(nameof(ArgumentException), outcome));
                        continue;
                    }

                    Assert.True(
                        expected.SequenceEqual(actual),
                        $"{name} differs from the model for key '{FuzzGen.Describe(key)}': model [{string.Join(" | ", expected)}], {name} [{string.Join(" | ", actual)}]");
                }
            },
            iter: FuzzGen.ServerIterations,
            threads: 1,
            print: v => FuzzGen.Describe(v));
    }

    [Fact]
    public void A_rejected_key_is_named_with_its_rule_and_its_control_characters_escaped()
    {
        FuzzGen.Key.Sample(
            key =>
            {
                try
                {
                    KvKeys.Normalize(key);
                }
                catch (ArgumentException e)
                {
                    Assert.StartsWith("Invalid key '", e.Message, StringComparison.Ordinal);
                    Assert.DoesNotContain(e.Message, char.IsControl);
                    Assert.False(HasLoneSurrogate(e.Message), $"the message holds a lone surrogate: {FuzzGen.Describe(e.Message)}");
                }
            },
            iter: FuzzGen.LocalIterations,
            print: v => FuzzGen.Describe(v));
    }

    private static bool ZooKeeperRefuses(string key) => key.Any(c => c is (>= '\ud800' and <= '\uf8ff') or >= '\ufff0');

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    // Put, get, exists, list under the parent, delete, get again: the outcome of each step.
    private static async Task<List<string>> Lifecycle(IKvStore store, string key, byte[] value)
    {
        var steps = new List<string> { await Outcome.Of(async () => (await store.PutAsync(key, value)).Key) };
        steps.Add(await Outcome.Of(async () => Outcome.Show(await store.GetAsync(key))));
        steps.Add(await Outcome.Of(async () => (await store.ExistsAsync(key)).ToString()));
        steps.Add(await Outcome.Of(async () =>
        {
            var canonical = KvKeys.Normalize(key);
            var slash = canonical.LastIndexOf(KvKeys.Separator);
            var parent = slash < 0 ? string.Empty : canonical[..slash];
            return (await store.ListAsync(parent)).Any(pair => pair.Key == canonical).ToString();
        }));
        steps.Add(await Outcome.Of(async () => (await store.DeleteAsync(key)).ToString()));
        steps.Add(await Outcome.Of(async () => Outcome.Show(await store.GetAsync(key))));
        return steps;
    }
}
