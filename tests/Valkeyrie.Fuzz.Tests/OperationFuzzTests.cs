using System.Globalization;
using CsCheck;

namespace Valkeyrie.Fuzz.Tests;

/// <summary>
/// Random sequences of writes, compare-and-swaps, transactions, tree deletes and reads on every backend, each compared
/// step by step with the memory store as the model: the same results (values, listings, CAS outcomes, commit results),
/// the same exception types, and the same final tree.
/// </summary>
[Collection(FuzzBackendsCollection.Name)]
public sealed class OperationFuzzTests(FuzzBackends backends)
{
    // A small key space with parents and children, so deletes of trees and listings overlap with the writes.
    private static readonly string[] s_keys = ["a", "a/b", "a/b/c", "a/d", "e"];

    private static readonly Gen<string> s_key = Gen.OneOf(s_keys);

    private static readonly Gen<string> s_prefix = Gen.OneOf(["", "a", "a/b", "e", "x"]);

    private static readonly Gen<byte[]> s_value = Gen.Byte.Array[0, 6];

    private static readonly Gen<IndexChoice> s_index = Gen.Enum<IndexChoice>();

    private static readonly Gen<Step> s_step = Gen.Frequency<Step>(
        (4, Gen.Select(s_key, s_value, (k, v) => (Step)new PutStep(k, v))),
        (2, s_key.Select(k => (Step)new DeleteStep(k))),
        (3, Gen.Select(s_key, s_value, s_index, (k, v, i) => (Step)new AtomicPutStep(k, v, i))),
        (2, Gen.Select(s_key, s_index, (k, i) => (Step)new AtomicDeleteStep(k, i))),
        (1, s_prefix.Select(p => (Step)new DeleteTreeStep(p))),
        (2, Gen.Select(Gen.Select(s_key, s_index).Array[0, 2], Gen.Select(s_key, s_value, Gen.Bool).Array[1, 3], (c, w) => (Step)new CommitStep(c, w))),
        (2, s_key.Select(k => (Step)new GetStep(k))),
        (2, s_prefix.Select(p => (Step)new ListStep(p))));

    private enum IndexChoice
    {
        Zero,
        Current,
        Stale,
    }

    [Fact]
    public async Task Random_operation_sequences_give_the_models_results_on_every_backend()
    {
        await s_step.Array[1, 12].SampleAsync(
            async steps =>
            {
                var root = $"seq/{Guid.NewGuid():N}";
                await using var model = new MemoryKvStore();
                var expected = await RunAsync(model, root, steps);
                foreach (var (name, store) in backends.Stores)
                {
                    try
                    {
                        var actual = await RunAsync(store, root, steps);
                        for (var i = 0; i < expected.Count; i++)
                        {
                            Assert.True(expected[i] == actual[i], $"{name} differs from the model at step {i} ({(i < steps.Length ? steps[i] : "final tree")}): model {expected[i]}, {name} {actual[i]}");
                        }
                    }
                    finally
                    {
                        await store.DeleteTreeAsync(root);
                    }
                }
            },
            iter: FuzzGen.ServerIterations,
            threads: 1,
            print: steps => string.Join("; ", steps.Select(s => s.ToString())));
    }

    private static async Task<List<string>> RunAsync(IKvStore store, string root, Step[] steps)
    {
        var outcomes = new List<string>(steps.Length + 1);
        foreach (var step in steps)
        {
            outcomes.Add(await Outcome.Of(() => step.RunAsync(store, root)));
        }

        outcomes.Add(Outcome.Show(await store.ListAsync(root)));
        return outcomes;
    }

    private static string Under(string root, string key) => key.Length == 0 ? root : $"{root}/{key}";

    // The expected index a step passes: 0, the key's index right now (0 when absent), or one it certainly does not have.
    private static async Task<ulong> IndexAsync(IKvStore store, string key, IndexChoice choice)
    {
        if (choice == IndexChoice.Zero)
        {
            return 0;
        }

        var current = (await store.GetAsync(key))?.LastIndex ?? 0;
        return choice == IndexChoice.Current ? current : current + 1_000_003;
    }

    private abstract record Step
    {
        public abstract Task<string> RunAsync(IKvStore store, string root);
    }

    private sealed record PutStep(string Key, byte[] Value) : Step
    {
        public override async Task<string> RunAsync(IKvStore store, string root) => Outcome.Show((await store.PutAsync(Under(root, Key), Value)) with { LastIndex = 0 });

        public override string ToString() => $"put {Key} {FuzzGen.Describe(Value)}";
    }

    private sealed record DeleteStep(string Key) : Step
    {
        public override async Task<string> RunAsync(IKvStore store, string root) => (await store.DeleteAsync(Under(root, Key))).ToString();

        public override string ToString() => $"delete {Key}";
    }

    private sealed record AtomicPutStep(string Key, byte[] Value, IndexChoice Index) : Step
    {
        public override async Task<string> RunAsync(IKvStore store, string root)
        {
            var key = Under(root, Key);
            var result = await store.AtomicPutAsync(key, Value, await IndexAsync(store, key, Index));
            return $"{result.Outcome} {Outcome.Show(result.Pair)}";
        }

        public override string ToString() => $"cas-put {Key} {FuzzGen.Describe(Value)} {Index}";
    }

    private sealed record AtomicDeleteStep(string Key, IndexChoice Index) : Step
    {
        public override async Task<string> RunAsync(IKvStore store, string root)
        {
            var key = Under(root, Key);
            return (await store.AtomicDeleteAsync(key, await IndexAsync(store, key, Index))).Outcome.ToString();
        }

        public override string ToString() => $"cas-delete {Key} {Index}";
    }

    private sealed record DeleteTreeStep(string Prefix) : Step
    {
        public override async Task<string> RunAsync(IKvStore store, string root) =>
            (await store.DeleteTreeAsync(Under(root, Prefix))).ToString(CultureInfo.InvariantCulture);

        public override string ToString() => $"delete-tree '{Prefix}'";
    }

    private sealed record CommitStep((string Key, IndexChoice Index)[] Checks, (string Key, byte[] Value, bool Delete)[] Writes) : Step
    {
        public override async Task<string> RunAsync(IKvStore store, string root)
        {
            var transaction = new KvTransaction();
            foreach (var (key, index) in Checks)
            {
                transaction.CheckIndex(Under(root, key), await IndexAsync(store, Under(root, key), index));
            }

            foreach (var (key, value, delete) in Writes)
            {
                _ = delete ? transaction.Delete(Under(root, key)) : transaction.Put(Under(root, key), value);
            }

            return (await store.CommitAsync(transaction)).ToString();
        }

        public override string ToString() =>
            $"commit [{string.Join(", ", Checks.Select(c => $"check {c.Key} {c.Index}"))}] [{string.Join(", ", Writes.Select(w => w.Delete ? $"delete {w.Key}" : $"put {w.Key} {FuzzGen.Describe(w.Value)}"))}]";
    }

    private sealed record GetStep(string Key) : Step
    {
        public override async Task<string> RunAsync(IKvStore store, string root) => Outcome.Show(await store.GetAsync(Under(root, Key)));

        public override string ToString() => $"get {Key}";
    }

    private sealed record ListStep(string Prefix) : Step
    {
        public override async Task<string> RunAsync(IKvStore store, string root) => Outcome.Show(await store.ListAsync(Under(root, Prefix)));

        public override string ToString() => $"list '{Prefix}'";
    }
}
