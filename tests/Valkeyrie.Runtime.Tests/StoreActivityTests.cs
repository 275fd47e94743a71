using System.Diagnostics;

namespace Valkeyrie.Runtime.Tests;

/// <summary>One activity per store call on the <c>Valkeyrie</c> source, tagged with backend and operation, never values.</summary>
public sealed class StoreActivityTests
{
    [Fact]
    public async Task Every_store_call_is_one_activity_tagged_with_backend_and_operation_and_no_value()
    {
        using var root = new ActivitySource("Valkeyrie.Tests.Root");
        var seen = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Valkeyrie" or "Valkeyrie.Tests.Root",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (seen)
                {
                    seen.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        string parentId;
        await using (var store = new MemoryKvStore())
        using (var parent = root.StartActivity("test")!)
        {
            parentId = parent.Id!;
            await store.PutAsync("a/secret", "hunter2-value"u8.ToArray());
            await store.GetAsync("a/secret");
            await store.ListAsync("a");
            await store.CommitAsync(new KvTransaction().Put("a/other", "hunter2-value"u8.ToArray()));
        }

        List<Activity> calls;
        lock (seen)
        {
            calls = [.. seen.Where(a => a.ParentId == parentId)];
        }

        Assert.Equal(["put", "get", "list", "commit"], calls.Select(a => a.GetTagItem("valkeyrie.operation")));
        Assert.All(calls, a => Assert.Equal("memory", a.GetTagItem("valkeyrie.backend")));
        Assert.All(calls, a => Assert.Equal("Valkeyrie", a.Source.Name));
        Assert.DoesNotContain(calls.SelectMany(a => a.TagObjects), t => t.Value?.ToString()?.Contains("hunter2", StringComparison.Ordinal) == true);
    }
}
