using System.Diagnostics;

namespace Valkeyrie.Testing.Conformance;

/// <summary>Watch and WatchTree: first item, every change in order, deletes, deep children, cancellation (docs/store-contract.md).</summary>
public abstract class KvWatchConformance : KvConformanceBase
{
    [Fact]
    public async Task Watch_yields_the_current_value_then_each_update_then_null_on_delete()
    {
        await Store.PutAsync(K("w"), V("0"));
        var writer = await ConnectExtraAsync();
        await using var watch = new StreamReader<KvPair?>(ct => Store.WatchAsync(K("w"), cancellationToken: ct));

        Assert.Equal("0", (await watch.NextAsync(Patience, "the current value"))?.ValueAsString);
        for (var i = 1; i <= 3; i++)
        {
            var written = await writer.PutAsync(K("w"), V(i.ToString()));
            var seen = await watch.NextAsync(Patience, $"update {i}");
            Assert.Equal(written, seen);
        }

        await writer.DeleteAsync(K("w"));
        Assert.Null(await watch.NextAsync(Patience, "the delete"));
    }

    [Fact]
    public async Task Watch_of_a_missing_key_yields_null_then_the_created_value()
    {
        await using var watch = new StreamReader<KvPair?>(ct => Store.WatchAsync(K("later"), cancellationToken: ct));
        Assert.Null(await watch.NextAsync(Patience, "the missing key's null"));
        await Store.PutAsync(K("later"), V("born"));
        Assert.Equal("born", (await watch.NextAsync(Patience, "the created value"))?.ValueAsString);
    }

    [Fact]
    public async Task Watch_ignores_other_keys_and_children()
    {
        await Store.PutAsync(K("solo"), V("0"));
        await using var watch = new StreamReader<KvPair?>(ct => Store.WatchAsync(K("solo"), cancellationToken: ct));
        await watch.NextAsync(Patience, "the current value");
        await Store.PutAsync(K("solo/child"), V("x"));
        await Store.PutAsync(K("solo-sibling"), V("x"));
        await Store.PutAsync(K("solo"), V("1"));
        Assert.Equal("1", (await watch.NextAsync(Patience, "the update"))?.ValueAsString);
    }

    [Fact]
    public async Task WatchTree_yields_a_snapshot_then_deltas_for_deep_children()
    {
        await Store.PutAsync(K("tree/a"), V("1"));
        await Store.PutAsync(K("tree/b/c"), V("2"));
        await Store.PutAsync(K("tree"), V("the prefix key itself is not part of the tree"));
        var writer = await ConnectExtraAsync();
        await using var watch = new StreamReader<KvTreeChange>(ct => Store.WatchTreeAsync(K("tree"), cancellationToken: ct));

        var snapshot = await watch.NextAsync(Patience, "the snapshot");
        Assert.True(snapshot.IsSnapshot);
        Assert.Equal([K("tree/a"), K("tree/b/c")], snapshot.Snapshot.Select(p => p.Key));

        var created = await writer.PutAsync(K("tree/b/d/e"), V("deep"));
        var updated = await writer.PutAsync(K("tree/b/c"), V("2b"));
        await writer.DeleteAsync(K("tree/a"));

        var events = await CollectEventsAsync(watch, 3);
        Assert.Equal(KvEventKind.Put, events[0].Kind);
        Assert.Equal(created, events[0].Pair);
        Assert.Equal(created.LastIndex, events[0].Index);
        Assert.Equal(KvEventKind.Put, events[1].Kind);
        Assert.Equal(updated, events[1].Pair);
        Assert.Equal(KvEventKind.Delete, events[2].Kind);
        Assert.Equal(K("tree/a"), events[2].Key);
        Assert.Null(events[2].Pair);
    }

    [Fact]
    public async Task WatchTree_of_a_missing_prefix_starts_with_an_empty_snapshot()
    {
        await using var watch = new StreamReader<KvTreeChange>(ct => Store.WatchTreeAsync(K("void"), cancellationToken: ct));
        var snapshot = await watch.NextAsync(Patience, "the empty snapshot");
        Assert.True(snapshot.IsSnapshot);
        Assert.Empty(snapshot.Snapshot);
        await Store.PutAsync(K("void/first"), V("1"));
        var events = await CollectEventsAsync(watch, 1);
        Assert.Equal(K("void/first"), events[0].Key);
    }

    [Fact]
    public async Task WatchTree_respects_segment_boundaries_and_excludes_the_prefix_key()
    {
        await using var watch = new StreamReader<KvTreeChange>(ct => Store.WatchTreeAsync(K("app"), cancellationToken: ct));
        await watch.NextAsync(Patience, "the snapshot");
        await Store.PutAsync(K("apple/x"), V("no"));
        await Store.PutAsync(K("app"), V("no"));
        await Store.PutAsync(K("app/x"), V("yes"));
        var events = await CollectEventsAsync(watch, 1);
        Assert.Equal(K("app/x"), Assert.Single(events).Key);
    }

    [Fact]
    public async Task WatchTree_reports_a_transaction_and_a_delete_tree()
    {
        await using var watch = new StreamReader<KvTreeChange>(ct => Store.WatchTreeAsync(K("tx"), cancellationToken: ct));
        await watch.NextAsync(Patience, "the snapshot");
        Assert.True(await Store.CommitAsync(new KvTransaction().Put(K("tx/a"), V("1")).Put(K("tx/b"), V("2"))));
        var puts = await CollectEventsAsync(watch, 2);
        Assert.Equal([K("tx/a"), K("tx/b")], puts.Select(e => e.Key).Order(StringComparer.Ordinal));

        await Store.DeleteTreeAsync(K("tx"));
        var deletes = await CollectEventsAsync(watch, 2);
        Assert.All(deletes, e => Assert.Equal(KvEventKind.Delete, e.Kind));
        Assert.Equal([K("tx/a"), K("tx/b")], deletes.Select(e => e.Key).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Whether the backend's native watch reports state rather than history (Consul's blocking queries return the
    /// current tree), so several quick writes to one key may reach a watcher
    /// as one event with the latest value. Order and the final state must still be exact; backends that keep a
    /// change history leave this false and must deliver every write.
    /// </summary>
    protected virtual bool MergesRapidWritesToOneKey => false;

    [Fact]
    public async Task WatchTree_sees_every_write_of_a_burst_in_order()
    {
        await using var watch = new StreamReader<KvTreeChange>(ct => Store.WatchTreeAsync(K("burst"), cancellationToken: ct));
        await watch.NextAsync(Patience, "the snapshot");
        var writer = await ConnectExtraAsync();
        const int writes = 30;
        for (var i = 0; i < writes; i++)
        {
            await writer.PutAsync(K("burst/counter"), V(i.ToString()));
        }

        if (!MergesRapidWritesToOneKey)
        {
            var events = await CollectEventsAsync(watch, writes);
            Assert.Equal(Enumerable.Range(0, writes).Select(i => i.ToString()), events.Select(e => e.Pair!.ValueAsString));
            return;
        }

        var seen = new List<KvEvent>();
        while (seen.Count == 0 || seen[^1].Pair!.ValueAsString != (writes - 1).ToString())
        {
            var change = await watch.NextAsync(Patience, $"the last write of the burst (seen {seen.Count} events)");
            Assert.False(change.IsSnapshot, "No snapshot was expected while the store stayed up.");
            seen.AddRange(change.Events);
        }

        var values = seen.Select(e => int.Parse(e.Pair!.ValueAsString)).ToList();
        Assert.Equal(values.Order(), values);
        Assert.Equal(values.Distinct().Count(), values.Count);
        Assert.Equal(seen.Select(e => e.Index).Order(), seen.Select(e => e.Index));
    }

    [Fact]
    public async Task Cancelling_a_watch_returns_promptly()
    {
        var watch = new StreamReader<KvPair?>(ct => Store.WatchAsync(K("cancel"), cancellationToken: ct));
        var tree = new StreamReader<KvTreeChange>(ct => Store.WatchTreeAsync(K("cancel-tree"), cancellationToken: ct));
        await watch.NextAsync(Patience, "the first item");
        await tree.NextAsync(Patience, "the snapshot");

        var stopwatch = Stopwatch.StartNew();
        await watch.CancelAsync();
        await tree.CancelAsync();
        stopwatch.Stop();
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"Cancelling took {stopwatch.Elapsed}; it must not wait for a long poll.");
        var ended = await Record.ExceptionAsync(() => watch.Completion);
        Assert.True(ended is null or OperationCanceledException, $"A cancelled watch ends quietly or with OperationCanceledException, not {ended}");
    }

    [Fact]
    public async Task Disposing_the_store_ends_its_watches()
    {
        var client = await ConnectExtraAsync();
        var watch = new StreamReader<KvTreeChange>(ct => client.WatchTreeAsync(K("disposed"), cancellationToken: ct));
        await watch.NextAsync(Patience, "the snapshot");
        await client.DisposeAsync();
        var finished = await Task.WhenAny(watch.Completion, Task.Delay(Patience));
        Assert.Same(watch.Completion, finished);
        await watch.DisposeAsync();
    }

    /// <summary>Reads delta batches until <paramref name="count"/> events arrived; fails on an unexpected snapshot.</summary>
    protected static async Task<List<KvEvent>> CollectEventsAsync(StreamReader<KvTreeChange> watch, int count)
    {
        var events = new List<KvEvent>();
        while (events.Count < count)
        {
            var change = await watch.NextAsync(Patience, $"event {events.Count + 1} of {count}");
            Assert.False(change.IsSnapshot, "No snapshot was expected while the store stayed up.");
            events.AddRange(change.Events);
        }

        Assert.Equal(count, events.Count);
        return events;
    }
}
