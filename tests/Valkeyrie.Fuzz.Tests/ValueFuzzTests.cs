using CsCheck;

namespace Valkeyrie.Fuzz.Tests;

/// <summary>
/// Random values on every backend: empty, binary, invalid UTF-8 and tens of KiB round-trip byte for byte; a value past a
/// backend's limit is a <see cref="KvLimitExceededException"/> with nothing written.
/// </summary>
[Collection(FuzzBackendsCollection.Name)]
public sealed class ValueFuzzTests(FuzzBackends backends)
{
    [Fact]
    public async Task Every_value_round_trips_byte_for_byte_on_every_backend()
    {
        await FuzzGen.Value.SampleAsync(
            async value =>
            {
                foreach (var (name, store) in backends.Stores)
                {
                    var written = await store.PutAsync("fuzz/values/v", value);
                    var read = await store.GetAsync("fuzz/values/v");
                    Assert.True(read is not null && read.Value.Span.SequenceEqual(value), $"{name} did not return the {FuzzGen.Describe(value)} it stored");
                    Assert.Equal(written.LastIndex, read.LastIndex);
                    var listed = Assert.Single(await store.ListAsync("fuzz/values"));
                    Assert.True(listed.Value.Span.SequenceEqual(value), $"{name} listed another value than the {FuzzGen.Describe(value)} it stored");
                }
            },
            iter: FuzzGen.ServerIterations,
            threads: 1,
            print: v => FuzzGen.Describe(v));
    }

    [Fact]
    public async Task A_value_past_a_backends_limit_is_a_limit_error_and_the_previous_value_stays()
    {
        // 2 MiB is past Consul's 512 KiB, DynamoDB's 400 KB, ZooKeeper's ~1 MiB and etcd's 1.5 MiB request limits.
        var oversized = new byte[2 * 1024 * 1024];
        Random.Shared.NextBytes(oversized);
        foreach (var (name, store) in backends.Stores)
        {
            await store.PutAsync("fuzz/limit/v", "before"u8.ToArray());
            try
            {
                await store.PutAsync("fuzz/limit/v", oversized);
                Assert.True((await store.GetAsync("fuzz/limit/v"))!.Value.Span.SequenceEqual(oversized), $"{name} accepted the 2 MiB value but returns another");
            }
            catch (KvLimitExceededException e)
            {
                Assert.Contains("fuzz/limit/v", e.Message, StringComparison.Ordinal);
                Assert.Equal("before", (await store.GetAsync("fuzz/limit/v"))?.ValueAsString);
            }

            var transaction = new KvTransaction().Put("fuzz/limit/t1", "small"u8.ToArray()).Put("fuzz/limit/t2", oversized);
            try
            {
                Assert.True(await store.CommitAsync(transaction), $"{name} refused an unconditional transaction");
                Assert.NotNull(await store.GetAsync("fuzz/limit/t2"));
            }
            catch (KvLimitExceededException)
            {
                Assert.Null(await store.GetAsync("fuzz/limit/t1")); // all or nothing
            }

            await store.DeleteTreeAsync("fuzz/limit");
        }
    }
}
