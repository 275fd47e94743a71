using System.Text;
using Valkeyrie.Testing.Conformance;

namespace Valkeyrie.Redis.Tests;

/// <summary>Restarts beyond the conformance suite; shares the restart collection's server.</summary>
[Collection(RedisRestartCollection.Name)]
public sealed class RedisReconnectTests(RedisRestartFixture fixture)
{
    [Fact]
    public async Task A_change_made_while_the_watcher_was_still_disconnected_is_delivered()
    {
        var root = $"reconnect/{Guid.NewGuid():N}";
        await using var store = fixture.Connect();
        await using var watch = new StreamReader<KvTreeChange>(ct => store.WatchTreeAsync(root, cancellationToken: ct));
        Assert.True((await watch.NextAsync(TimeSpan.FromSeconds(30), "the snapshot")).IsSnapshot);

        await fixture.Server.StopAsync();
        await fixture.Server.StartAsync();

        // A fresh client writes at once, before the watcher's client has reconnected and re-subscribed.
        await using var writer = fixture.Connect();
        var written = await writer.PutAsync($"{root}/while-away", Encoding.UTF8.GetBytes("1"));
        var change = await watch.NextMatchingAsync(
            c => c.IsSnapshot ? c.Snapshot.Any(p => p.Key == written.Key) : c.Events.Any(e => e.Key == written.Key),
            TimeSpan.FromSeconds(60),
            "the write made while the watcher was disconnected");
        Assert.False(change.IsSnapshot, "The change log survived the restart, so the watcher should resume with deltas.");
        await writer.DeleteTreeAsync(root);
    }
}
