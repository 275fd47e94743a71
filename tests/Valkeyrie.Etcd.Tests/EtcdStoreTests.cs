using System.Diagnostics;
using Valkeyrie.Backends;
using Valkeyrie.Testing.Conformance;
using Valkeyrie.Testing.Servers;
using Valkeyrie.Testing.Servers.Fixtures;
using static Valkeyrie.Etcd.Tests.EtcdTestSupport;

namespace Valkeyrie.Etcd.Tests;

/// <summary>etcd-specific behaviour on the shared server: mapping, history, limits, failover and network cuts.</summary>
[Collection(EtcdCollection.Name)]
public sealed class EtcdStoreTests(EtcdServerFixture fixture) : IAsyncLifetime
{
    private readonly string _root = NewRoot();
    private EtcdKvStore _store = null!;

    private EtcdServer Server => fixture.Server;

    public Task InitializeAsync()
    {
        _store = new EtcdKvStore(Server.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _store.DeleteTreeAsync(_root);
        await _store.DisposeAsync();
    }

    [Fact]
    public async Task Keys_are_plain_etcd_keys_that_etcdctl_reads_and_writes()
    {
        var written = await _store.PutAsync(K("app/db/host"), V("localhost"));
        Assert.Equal("localhost", (await Server.RunEtcdctlAsync("get", K("app/db/host"), "--print-value-only")).Trim());

        await Server.RunEtcdctlAsync("put", K("app/db/port"), "5433");
        var read = await _store.GetAsync(K("app/db/port"));
        Assert.Equal("5433", read?.ValueAsString);
        Assert.True(read!.LastIndex > written.LastIndex, "The index is the key's mod revision, which grows with every write.");
    }

    [Fact]
    public async Task Serializable_reads_are_served()
    {
        await _store.PutAsync(K("serial"), V("x"));
        var relaxed = new KvReadOptions { Consistent = false };
        await EventuallyAsync(async () => (await _store.GetAsync(K("serial"), relaxed))?.ValueAsString == "x", Patience, "a serializable read");
        Assert.Single(await _store.ListAsync(_root, relaxed));
    }

    [Fact]
    public async Task Changes_after_the_read_revision_are_streamed_even_when_written_before_the_watch_starts()
    {
        var feed = new EtcdChangeFeed(_store.Connection);
        var scope = KvScope.ForTree(K("gap"));
        var snapshot = await feed.ReadScopeAsync(scope, KvReadOptions.Default, CancellationToken.None);
        var written = await _store.PutAsync(K("gap/between"), V("not lost"));

        using var cts = new CancellationTokenSource(Patience);
        await foreach (var batch in feed.ReadChangesAsync(scope, snapshot.Revision, KvReadOptions.Default, cts.Token))
        {
            if (batch.Events.Count > 0)
            {
                Assert.Equal(written, Assert.Single(batch.Events).Pair);
                return;
            }
        }
    }

    [Fact]
    public async Task Resuming_from_a_compacted_revision_reports_lost_history()
    {
        var first = await _store.PutAsync(K("compacted/a"), V("1"));
        await _store.PutAsync(K("compacted/a"), V("2"));
        await Server.CompactAsync();

        var feed = new EtcdChangeFeed(_store.Connection);
        using var cts = new CancellationTokenSource(Patience);
        var error = await Assert.ThrowsAsync<KvHistoryLostException>(async () =>
        {
            await foreach (var _ in feed.ReadChangesAsync(KvScope.ForTree(K("compacted")), first.LastIndex - 1, KvReadOptions.Default, cts.Token))
            {
            }
        });
        Assert.Contains("compacted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchTree_yields_a_fresh_snapshot_when_it_resumes_past_a_compaction()
    {
        await using var relay = new TcpRelay(Server.Port);
        await using var watcher = new EtcdKvStore($"etcd://127.0.0.1:{relay.Port}");
        await _store.PutAsync(K("w/keep"), V("1"));
        await _store.PutAsync(K("w/gone"), V("1"));
        await using var watch = new StreamReader<KvTreeChange>(ct => watcher.WatchTreeAsync(K("w"), cancellationToken: ct));
        Assert.Equal(2, (await watch.NextAsync(Patience, "the first snapshot")).Snapshot.Count);

        relay.Cut();
        await _store.PutAsync(K("w/keep"), V("2"));
        await _store.DeleteAsync(K("w/gone"));
        await _store.PutAsync(K("w/new"), V("3"));
        await Server.CompactAsync();
        relay.Restore();

        var resumed = await watch.NextAsync(Patience, "the snapshot after the compaction");
        Assert.True(resumed.IsSnapshot, "Changes between the cut and the compaction are gone from history, so continuity cannot be proven.");
        Assert.Equal(
            [(K("w/keep"), "2"), (K("w/new"), "3")],
            resumed.Snapshot.Select(p => (p.Key, p.ValueAsString)));

        var after = await _store.PutAsync(K("w/after"), V("4"));
        var change = await watch.NextAsync(Patience, "a delta after the snapshot");
        Assert.Equal(after, Assert.Single(change.Events).Pair);
    }

    [Fact]
    public async Task A_kept_alive_key_is_written_back_when_its_lease_expired_during_a_network_cut()
    {
        await using var relay = new TcpRelay(Server.Port);
        await using var writer = new EtcdKvStore($"etcd://127.0.0.1:{relay.Port}");
        await writer.PutAsync(K("beacon"), V("alive"), new KvWriteOptions { Ttl = ShortTtl, KeepAlive = true });

        relay.Cut();
        await EventuallyAsync(async () => !await _store.ExistsAsync(K("beacon")), ShortTtl + Patience, "the lease to expire while the writer is cut off");
        relay.Restore();

        await EventuallyAsync(async () => (await _store.GetAsync(K("beacon")))?.ValueAsString == "alive", Patience, "the writer to grant a new lease and write the key back");
        await Task.Delay(ShortTtl * 2);
        Assert.True(await _store.ExistsAsync(K("beacon")), "The new lease is kept alive.");
    }

    [Fact]
    public async Task A_kept_alive_key_is_not_written_back_after_someone_deletes_it()
    {
        await using var writer = new EtcdKvStore(Server.ConnectionString);
        await writer.PutAsync(K("deleted-beacon"), V("alive"), new KvWriteOptions { Ttl = ShortTtl, KeepAlive = true });
        Assert.True(await _store.DeleteAsync(K("deleted-beacon")));
        await Task.Delay(ShortTtl * 2);
        Assert.False(await _store.ExistsAsync(K("deleted-beacon")));
    }

    [Fact]
    public async Task Lost_fires_when_the_lock_lease_expires_during_a_network_cut_and_the_lock_is_freed()
    {
        await using var relay = new TcpRelay(Server.Port);
        await using var holderStore = new EtcdKvStore($"etcd://127.0.0.1:{relay.Port}");
        var holder = await holderStore.CreateLock(K("cut-lock"), new KvLockOptions { Ttl = ShortTtl, Value = V("holder") }).AcquireAsync().WaitAsync(Patience);
        var lost = new TaskCompletionSource();
        using var registration = holder.Lost.Register(() => lost.TrySetResult());

        relay.Cut();
        await lost.Task.WaitAsync(Patience);
        var next = await _store.CreateLock(K("cut-lock"), new KvLockOptions { Value = V("next") }).AcquireAsync().WaitAsync(Patience);
        Assert.Equal("next", (await _store.GetAsync(K("cut-lock")))?.ValueAsString);
        relay.Restore();
        await holder.ReleaseAsync();
        Assert.Equal("next", (await _store.GetAsync(K("cut-lock")))?.ValueAsString);
        await next.ReleaseAsync();
        Assert.False(await _store.ExistsAsync(K("cut-lock")));
    }

    [Fact]
    public async Task Lock_queue_records_live_under_the_reserved_root()
    {
        var lease = await _store.CreateLock(K("queued")).AcquireAsync().WaitAsync(Patience);
        var keys = await Server.RunEtcdctlAsync("get", "--prefix", "--keys-only", $"{KvKeys.ReservedSegment}/locks/{K("queued")}/");
        Assert.Contains($"{KvKeys.ReservedSegment}/locks/{K("queued")}/", keys, StringComparison.Ordinal);
        await lease.ReleaseAsync();
        Assert.Empty((await Server.RunEtcdctlAsync("get", "--prefix", "--keys-only", $"{KvKeys.ReservedSegment}/locks/{K("queued")}/")).Trim());
    }

    [Fact]
    public async Task DeleteTree_of_the_root_deletes_user_keys_but_keeps_the_lock_queues()
    {
        // Tests of one collection run one at a time, so deleting everything on the shared server disturbs nobody.
        await _store.PutAsync(K("doomed"), V("x"));
        var lease = await _store.CreateLock(K("survivor")).AcquireAsync().WaitAsync(Patience);
        var queue = $"{KvKeys.ReservedSegment}/locks/{K("survivor")}/";

        Assert.True(await _store.DeleteTreeAsync("") >= 2);
        Assert.Empty(await _store.ListAsync(""));
        Assert.Contains(queue, await Server.RunEtcdctlAsync("get", "--prefix", "--keys-only", queue), StringComparison.Ordinal);
        await lease.ReleaseAsync();
    }

    [Fact]
    public async Task A_transaction_over_the_operation_limit_is_refused_before_anything_is_written()
    {
        var transaction = new KvTransaction();
        for (var i = 0; i <= EtcdKvStoreOptions.DefaultMaxTransactionOperations; i++)
        {
            transaction.Put(K($"big/{i:D3}"), V("x"));
        }

        var error = await Assert.ThrowsAsync<KvLimitExceededException>(() => _store.CommitAsync(transaction));
        Assert.Contains("128", error.Message, StringComparison.Ordinal);
        Assert.Empty(await _store.ListAsync(K("big")));
    }

    [Theory]
    [InlineData(1_600_000)] // over etcd's --max-request-bytes (1.5 MiB)
    [InlineData(3_000_000)] // over the gRPC message limit etcd derives from it
    public async Task A_value_over_the_request_size_limit_is_a_clear_limit_error(int size)
    {
        var error = await Assert.ThrowsAsync<KvLimitExceededException>(() => _store.PutAsync(K("huge"), new byte[size]));
        Assert.Contains("etcd stores at most", error.Message, StringComparison.Ordinal);
        Assert.False(await _store.ExistsAsync(K("huge")));
    }

    [Fact]
    public async Task Writes_of_one_key_in_a_transaction_apply_in_order()
    {
        await _store.PutAsync(K("twice"), V("0"));
        Assert.True(await _store.CommitAsync(new KvTransaction().Put(K("twice"), V("1")).Delete(K("twice")).Put(K("other"), V("x")).Put(K("other"), V("y"))));
        Assert.False(await _store.ExistsAsync(K("twice")));
        Assert.Equal("y", (await _store.GetAsync(K("other")))?.ValueAsString);
    }

    [Fact]
    public async Task Calls_fail_over_to_the_next_endpoint()
    {
        var dead = FreePort.Next();
        await using var store = new EtcdKvStore($"etcd://127.0.0.1:{dead},127.0.0.1:{Server.Port}");
        var written = await store.PutAsync(K("failover"), V("ok"));
        Assert.Equal(written, await store.GetAsync(K("failover")));
    }

    [Fact]
    public async Task Calls_to_an_unreachable_cluster_fail_quickly_with_an_unavailable_error()
    {
        var dead = FreePort.Next();
        await using var store = new EtcdKvStore($"etcd://127.0.0.1:{dead}?timeout=2s");
        var stopwatch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<KvUnavailableException>(() => store.GetAsync("any/key").WaitAsync(Patience));
        Assert.Contains($"127.0.0.1:{dead}", error.Message, StringComparison.Ordinal);
        Assert.Contains("any/key", error.Message, StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < Patience);
    }

    private string K(string relative) => $"{_root}/{relative}";
}
