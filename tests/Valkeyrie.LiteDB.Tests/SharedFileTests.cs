using System.Text;
using Valkeyrie.Testing.Conformance;

namespace Valkeyrie.LiteDB.Tests;

/// <summary>Several stores and several processes on one file, and reopening the file.</summary>
public sealed class SharedFileTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    // A different poll interval gives the second store its own access point to the file, so it learns of the first
    // store's writes only by polling the file, as another process would.
    public static TheoryData<bool> SharingModes => new() { true, false };

    [Theory]
    [MemberData(nameof(SharingModes))]
    public async Task WatchTree_of_one_store_sees_the_writes_of_another(bool sameOptions)
    {
        await using var watcher = _database.Open();
        await using var writer = _database.Open(o => o.PollInterval = sameOptions ? o.PollInterval : TimeSpan.FromMilliseconds(100));
        await writer.PutAsync("app/a", V("1"));
        await using var watch = new StreamReader<KvTreeChange>(ct => watcher.WatchTreeAsync("app", cancellationToken: ct));
        var snapshot = await watch.NextAsync(Patience, "the snapshot");
        Assert.Equal(["app/a"], snapshot.Snapshot.Select(p => p.Key));

        var written = await writer.PutAsync("app/b/c", V("2"));
        await writer.DeleteAsync("app/a");
        var events = new List<KvEvent>();
        while (events.Count < 2)
        {
            events.AddRange((await watch.NextAsync(Patience, "the other store's writes")).Events);
        }

        Assert.Equal(KvEvent.Put(written), events[0]);
        Assert.Equal(KvEventKind.Delete, events[1].Kind);
        Assert.Equal("app/a", events[1].Key);
        Assert.True(events[1].Index > written.LastIndex);
    }

    [Fact]
    public async Task Compare_and_swap_holds_across_stores()
    {
        await using var first = _database.Open();
        await using var second = _database.Open(o => o.PollInterval = TimeSpan.FromMilliseconds(100));
        var original = await first.PutAsync("cas", V("1"));
        Assert.True((await second.AtomicPutAsync("cas", V("2"), original.LastIndex)).Succeeded);

        Assert.Equal(KvCasOutcome.KeyModified, (await first.AtomicPutAsync("cas", V("3"), original.LastIndex)).Outcome);
        Assert.Equal(KvCasOutcome.KeyExists, (await first.AtomicPutAsync("cas", V("3"), 0)).Outcome);
        Assert.Equal(KvCasOutcome.KeyModified, (await first.AtomicDeleteAsync("cas", original.LastIndex)).Outcome);
        Assert.Equal("2", (await first.GetAsync("cas"))?.ValueAsString);
    }

    [Fact]
    public async Task A_lock_held_by_one_store_blocks_another_until_released()
    {
        await using var first = _database.Open();
        await using var second = _database.Open(o => o.PollInterval = TimeSpan.FromMilliseconds(100));
        var holder = await first.CreateLock("job", new KvLockOptions { Value = V("first") }).AcquireAsync().WaitAsync(Patience);
        var waiting = second.CreateLock("job", new KvLockOptions { Value = V("second") }).AcquireAsync();
        Assert.NotSame(waiting, await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromSeconds(1))));

        await holder.ReleaseAsync();
        var lease = await waiting.WaitAsync(Patience);
        Assert.True(lease.FencingToken > holder.FencingToken);
        Assert.Equal("second", (await first.GetAsync("job"))?.ValueAsString);
        await lease.ReleaseAsync();
    }

    [Fact]
    public async Task Another_process_writes_reach_a_watch_tree_in_order()
    {
        await using var store = _database.Open();
        await store.PutAsync("shared/seed", V("0"));
        await using var watch = new StreamReader<KvTreeChange>(ct => store.WatchTreeAsync("shared", cancellationToken: ct));
        await watch.NextAsync(Patience, "the snapshot");

        var output = await TestWriterProcess.RunAsync("put", _database.FilePath, "shared/counter", "from-process", "3");
        var indexes = output.Select(line => ulong.Parse(line["index ".Length..])).ToList();
        Assert.Equal(3, indexes.Count);

        var seen = new List<KvEvent>();
        while (seen.Count < 3)
        {
            seen.AddRange((await watch.NextAsync(Patience, "the other process's writes")).Events);
        }

        Assert.Equal(indexes, seen.Select(e => e.Index));
        Assert.All(seen, e => Assert.Equal("from-process", e.Pair!.ValueAsString));
    }

    [Fact]
    public async Task A_change_on_disk_wakes_the_poller_before_its_interval()
    {
        // With the longest poll interval, only the file-system event can deliver the other process's write before the
        // first poll, ten seconds after the store opened the file; the wait below ends well before that.
        await using var store = _database.Open(o => o.PollInterval = LiteDbKvStoreOptions.MaxPollInterval);
        await store.PutAsync("woken/seed", V("0"));
        await using var watch = new StreamReader<KvTreeChange>(ct => store.WatchTreeAsync("woken", cancellationToken: ct));
        await watch.NextAsync(Patience, "the snapshot");

        await TestWriterProcess.RunAsync("put", _database.FilePath, "woken/key", "from-process", "1");

        var change = await watch.NextAsync(TimeSpan.FromSeconds(4), "the other process's write, woken by the file-system event");
        Assert.Equal("from-process", Assert.Single(change.Events).Pair!.ValueAsString);
    }

    [Fact]
    public async Task Two_processes_writing_at_once_get_distinct_indexes_and_a_watcher_sees_every_write_in_order()
    {
        await using var store = _database.Open();
        await store.PutAsync("race/seed", V("0"));
        await using var watch = new StreamReader<KvTreeChange>(ct => store.WatchTreeAsync("race", cancellationToken: ct));
        await watch.NextAsync(Patience, "the snapshot");

        var other = TestWriterProcess.RunAsync("put", _database.FilePath, "race/theirs", "x", "40");
        var mine = new List<ulong>();
        for (var i = 0; i < 40; i++)
        {
            mine.Add((await store.PutAsync("race/mine", V(i.ToString()))).LastIndex);
        }

        var theirs = (await other).Select(line => ulong.Parse(line["index ".Length..])).ToList();
        var all = mine.Concat(theirs).ToList();
        Assert.Equal(80, all.Distinct().Count());

        var seen = new List<ulong>();
        while (seen.Count < 80)
        {
            seen.AddRange((await watch.NextAsync(Patience, "every write of both processes")).Events.Select(e => e.Index));
        }

        Assert.Equal(all.Order(), seen);
    }

    [Fact]
    public async Task A_lock_held_by_another_process_blocks_until_it_releases()
    {
        await using var store = _database.Open();
        await store.PutAsync("init", V("x"));
        await using var other = TestWriterProcess.Start("lock-hold", _database.FilePath, "locks/job", "other-process");
        var token = ulong.Parse((await other.ReadLineAsync())["acquired ".Length..]);
        Assert.Equal("other-process", (await store.GetAsync("locks/job"))?.ValueAsString);

        var waiting = store.CreateLock("locks/job", new KvLockOptions { Value = V("me") }).AcquireAsync();
        Assert.NotSame(waiting, await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromSeconds(1))));
        await other.WriteLineAsync("release");
        Assert.Equal("released", await other.ReadLineAsync());
        await other.ExitAsync();

        var lease = await waiting.WaitAsync(Patience);
        Assert.True(lease.FencingToken > token);
        await lease.ReleaseAsync();
    }

    [Fact]
    public async Task A_process_that_dies_holding_a_lock_frees_it_within_its_ttl()
    {
        await using var store = _database.Open();
        await store.PutAsync("init", V("x"));
        var output = await TestWriterProcess.RunAsync("lock-die", _database.FilePath, "locks/orphan", "dead", "2000");
        Assert.StartsWith("acquired", output.Single());

        var lease = await store.CreateLock("locks/orphan").AcquireAsync().WaitAsync(Patience);
        await lease.ReleaseAsync();
    }

    [Fact]
    public async Task A_kept_alive_key_of_a_process_that_died_expires_and_watchers_see_the_delete()
    {
        await using var store = _database.Open();
        await using var watch = new StreamReader<KvTreeChange>(ct => store.WatchTreeAsync("alive", cancellationToken: ct));
        await watch.NextAsync(Patience, "the snapshot");
        await TestWriterProcess.RunAsync("alive-die", _database.FilePath, "alive/worker", "beating", "2000");

        await watch.NextMatchingAsync(c => c.Events.Any(e => e.Kind == KvEventKind.Put && e.Key == "alive/worker"), Patience, "the put");
        await watch.NextMatchingAsync(c => c.Events.Any(e => e.Kind == KvEventKind.Delete && e.Key == "alive/worker"), Patience, "the expiry");
        Assert.Null(await store.GetAsync("alive/worker"));
    }

    [Fact]
    public async Task Reopening_the_file_keeps_indexes_increasing_and_old_indexes_invalid()
    {
        KvPair before;
        KvPair deleted;
        await using (var store = _database.Open())
        {
            before = await store.PutAsync("kept", V("1"));
            deleted = await store.PutAsync("gone", V("1"));
            await store.DeleteAsync("gone");
        }

        await using (var reopened = _database.Open())
        {
            Assert.Equal(before, await reopened.GetAsync("kept"));
            var recreated = await reopened.PutAsync("gone", V("2"));
            Assert.True(recreated.LastIndex > deleted.LastIndex + 1, "a re-created key gets a new index, after the delete's");
            Assert.Equal(KvCasOutcome.KeyModified, (await reopened.AtomicPutAsync("gone", V("3"), deleted.LastIndex)).Outcome);

            var updated = await reopened.AtomicPutAsync("kept", V("2"), before.LastIndex);
            Assert.True(updated.Succeeded);
            Assert.True(updated.Pair!.LastIndex > recreated.LastIndex);
        }
    }

    [Fact]
    public async Task A_watch_continues_after_every_store_of_the_process_closed_and_reopened_the_file()
    {
        await using var watcher = _database.Open();
        await using var watch = new StreamReader<KvTreeChange>(ct => watcher.WatchTreeAsync("", cancellationToken: ct));
        await watch.NextAsync(Patience, "the snapshot");
        await using (var writer = _database.Open(o => o.PollInterval = TimeSpan.FromMilliseconds(100)))
        {
            await writer.PutAsync("a", V("1"));
        }

        await using (var writer = _database.Open(o => o.PollInterval = TimeSpan.FromMilliseconds(100)))
        {
            await writer.PutAsync("b", V("2"));
        }

        var keys = new List<string>();
        while (keys.Count < 2)
        {
            keys.AddRange((await watch.NextAsync(Patience, "the writes")).Events.Select(e => e.Key));
        }

        Assert.Equal(["a", "b"], keys);
    }

    private static byte[] V(string text) => Encoding.UTF8.GetBytes(text);
}
