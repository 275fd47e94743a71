using Valkeyrie.Testing.Conformance;
using Valkeyrie.Testing.Servers.Fixtures;

namespace Valkeyrie.DynamoDB.Tests;

/// <summary>
/// An outage of the native endpoint under a live WatchTree and a held lock. moto keeps its data in memory only, so a real
/// restart would lose the table; the outage is a freeze instead (SIGSTOP: connections hang, nothing answers), which keeps
/// the data, then a resume (SIGCONT). Real restarts are tested on dynalite.
/// </summary>
[Collection(MotoOutageCollection.Name)]
public sealed class MotoOutageTests(MotoServerFixture fixture) : KvConformanceBase
{
    private readonly string _table = DynamoDbTarget.NewTable();

    protected override Task<IKvStore> ConnectAsync() => DynamoDbTarget.ConnectAsync(fixture.Server, _table);

    [Fact]
    public async Task A_frozen_server_loses_no_change_and_a_lock_held_through_it_stays_held()
    {
        var store = Store;
        var writer = await ConnectExtraAsync();
        await writer.PutAsync(K("tree/before"), "1"u8.ToArray());
        await using var watch = new StreamReader<KvTreeChange>(ct => store.WatchTreeAsync(K("tree"), cancellationToken: ct));
        var state = Apply([], await watch.NextAsync(TimeSpan.FromSeconds(30), "the snapshot"));
        var lease = await store.CreateLock(K("lock"), new KvLockOptions { Ttl = TimeSpan.FromSeconds(60), Value = "holder"u8.ToArray() }).AcquireAsync();

        // Written just before the outage: the watch may not have polled it yet, and must not lose it.
        await writer.PutAsync(K("tree/before"), "2"u8.ToArray());
        fixture.Server.Freeze();
        try
        {
            // The outage is real for clients: a call fails as unavailable (after the SDK's timeouts and retries).
            await Assert.ThrowsAnyAsync<KvUnavailableException>(() => writer.GetAsync(K("tree/before")).WaitAsync(TimeSpan.FromSeconds(60)));
        }
        finally
        {
            fixture.Server.Resume();
        }

        await RetryWhileUnavailableAsync(() => writer.PutAsync(K("tree/after"), "3"u8.ToArray()));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!(state.GetValueOrDefault("before") == "2" && state.GetValueOrDefault("after") == "3"))
        {
            state = Apply(state, await watch.NextAsync(deadline - DateTime.UtcNow, "the writes around the outage"));
        }

        Assert.False(lease.Lost.IsCancellationRequested, "the lock was lost during an outage shorter than its TTL");
        Assert.Equal("holder", (await writer.GetAsync(K("lock")))?.ValueAsString);
        await lease.ReleaseAsync();
        Assert.Null(await writer.GetAsync(K("lock")));
    }

    private Dictionary<string, string> Apply(Dictionary<string, string> state, KvTreeChange change)
    {
        var prefix = K("tree/");
        if (change.IsSnapshot)
        {
            return change.Snapshot.ToDictionary(p => p.Key[prefix.Length..], p => p.ValueAsString);
        }

        foreach (var e in change.Events)
        {
            if (e.Kind == KvEventKind.Put)
            {
                state[e.Key[prefix.Length..]] = e.Pair!.ValueAsString;
            }
            else
            {
                state.Remove(e.Key[prefix.Length..]);
            }
        }

        return state;
    }
}
