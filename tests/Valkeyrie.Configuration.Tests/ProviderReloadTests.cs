using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;
using Valkeyrie.Configuration.Tests.Support;

namespace Valkeyrie.Configuration.Tests;

public sealed class ProviderReloadTests
{
    [Fact]
    public async Task Put_update_and_delete_reload_with_the_changed_keys()
    {
        await using var store = new MemoryKvStore();
        using var root = Kv.Build(store, s => s.Prefixes.Add("app"));
        using var reloads = new ReloadRecorder(root);

        await store.PutAsync("app/db/host", "a");
        Assert.Equal(["app:db:host"], await reloads.NextAsync("the put"));
        Assert.Equal("a", root["app:db:host"]);

        await store.PutAsync("app/db/host", "b");
        Assert.Equal(["app:db:host"], await reloads.NextAsync("the update"));
        Assert.Equal("b", root["app:db:host"]);

        await store.DeleteAsync("app/db/host");
        Assert.Equal(["app:db:host"], await reloads.NextAsync("the delete"));
        Assert.Null(root["app:db:host"]);
        Assert.Empty(root.GetSection("app").GetChildren());
    }

    [Fact]
    public async Task A_transaction_gives_exactly_one_reload_and_one_token_callback()
    {
        await using var store = new MemoryKvStore();
        using var root = Kv.Build(store, s => s.Prefixes.Add("app"));
        using var reloads = new ReloadRecorder(root);
        var tokenFires = 0;
        using var subscription = ChangeToken.OnChange(root.GetReloadToken, () => Interlocked.Increment(ref tokenFires));

        var transaction = new KvTransaction();
        for (var i = 0; i < 5; i++)
        {
            transaction.Put($"app/db/k{i}", Kv.Bytes(i.ToString()));
        }

        Assert.True(await store.CommitAsync(transaction));
        Assert.Equal(5, (await reloads.NextAsync("the transaction")).Count);

        await store.PutAsync("app/marker", "1");
        Assert.Equal(["app:marker"], await reloads.NextAsync("the marker"));
        Assert.Equal(2, reloads.Count);
        Assert.Equal(2, Volatile.Read(ref tokenFires));
    }

    [Fact]
    public async Task A_write_that_changes_no_content_does_not_reload()
    {
        await using var store = new MemoryKvStore();
        await store.PutAsync("app/x", "same");
        using var root = Kv.Build(store, s => s.Prefixes.Add("app"));
        using var reloads = new ReloadRecorder(root);

        await store.PutAsync("app/x", "same");
        await store.DeleteAsync("app/never-existed");
        await store.PutAsync("elsewhere/y", "outside the prefix");
        await store.PutAsync("app/marker", "1");

        Assert.Equal(["app:marker"], await reloads.NextAsync("the marker"));
        Assert.Equal(1, reloads.Count);
    }

    [Fact]
    public async Task A_value_changed_and_changed_back_within_the_delay_does_not_reload()
    {
        await using var store = new MemoryKvStore();
        await store.PutAsync("app/x", "1");
        using var root = Kv.Build(store, s =>
        {
            s.Prefixes.Add("app");
            s.ReloadDelay = TimeSpan.FromSeconds(1);
        });
        using var reloads = new ReloadRecorder(root);

        // The first change after a quiet period reloads at once; what follows within the delay is gathered.
        await store.PutAsync("app/first", "1");
        Assert.Equal(["app:first"], await reloads.NextAsync("the leading change"));
        await store.PutAsync("app/x", "2");
        await store.PutAsync("app/x", "1");
        await store.PutAsync("app/marker", "1");

        Assert.Equal(["app:marker"], await reloads.NextAsync("the burst"));
        Assert.Equal(2, reloads.Count);
    }

    [Fact]
    public async Task The_first_change_after_a_quiet_period_is_not_held_back_by_the_delay()
    {
        await using var store = new MemoryKvStore();
        using var root = Kv.Build(store, s =>
        {
            s.Prefixes.Add("app");
            s.ReloadDelay = TimeSpan.FromMinutes(10);
        });
        using var reloads = new ReloadRecorder(root);

        await store.PutAsync("app/x", "1");

        // With the old trailing debounce this waited the whole ten minutes.
        Assert.Equal(["app:x"], await reloads.NextAsync("the change"));
    }

    [Fact]
    public async Task Readers_never_see_half_of_a_transaction()
    {
        await using var store = new MemoryKvStore();
        await store.PutAsync("app/a", "0");
        await store.PutAsync("app/b", "0");
        using var root = Kv.Build(store, s => s.Prefixes.Add("app"));
        using var reloads = new ReloadRecorder(root);

        using var stop = new CancellationTokenSource();
        var torn = 0;
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var provider = root.Provider();
                provider.TryGet("app:a", out var a);
                provider.TryGet("app:b", out var b);
                if (a != b && int.Parse(a!) > int.Parse(b!))
                {
                    Interlocked.Increment(ref torn);
                }
            }
        });

        for (var i = 1; i <= 20; i++)
        {
            // b is written first, a second; a reader that saw a newer 'a' than 'b' would have seen half a batch.
            await store.CommitAsync(new KvTransaction().Put("app/b", Kv.Bytes(i.ToString())).Put("app/a", Kv.Bytes(i.ToString())));
            await reloads.NextAsync($"transaction {i}");
        }

        await stop.CancelAsync();
        await reader;
        Assert.Equal(0, torn);
    }

    [Fact]
    public async Task A_throwing_change_handler_does_not_stop_later_reloads()
    {
        await using var store = new MemoryKvStore();
        var logs = new LogCapture();
        using var root = Kv.Build(store, s =>
        {
            s.Prefixes.Add("app");
            s.LoggerFactory = logs.CreateFactory();
        });
        using var reloads = new ReloadRecorder(root);
        root.GetReloadToken().RegisterChangeCallback(_ => throw new InvalidOperationException("subscriber bug"), null);

        await store.PutAsync("app/x", "1");
        await reloads.NextAsync("the first change");
        await store.PutAsync("app/x", "2");
        await reloads.NextAsync("the second change");
        Assert.Equal("2", root["app:x"]);
        Assert.Contains(logs.Entries, e => e.EventId.Id == 12);
    }
}
