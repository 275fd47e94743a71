namespace Valkeyrie.Testing.Conformance;

/// <summary>Distributed locks: value visible, mutual exclusion, release, cancellation, expiry of a dead holder (docs/store-contract.md).</summary>
public abstract class KvLockConformance : KvConformanceBase
{
    private TimeSpan ShortTtl => MinimumTtl > TimeSpan.FromSeconds(2) ? MinimumTtl : TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Lock_value_is_readable_while_held_and_gone_after_release()
    {
        var theLock = Store.CreateLock(K("lock"), new KvLockOptions { Value = V("holder-1") });
        Assert.Equal(K("lock"), theLock.Key);
        var lease = await theLock.AcquireAsync().WaitAsync(Patience);
        Assert.Equal(K("lock"), lease.Key);
        Assert.True(lease.FencingToken > 0);
        Assert.False(lease.Lost.IsCancellationRequested);
        Assert.Equal("holder-1", (await Store.GetAsync(K("lock")))?.ValueAsString);

        await lease.ReleaseAsync();
        Assert.Null(await Store.GetAsync(K("lock")));
        await lease.ReleaseAsync();
        await lease.DisposeAsync();
    }

    [Fact]
    public async Task Lock_can_be_acquired_again_after_release_with_a_larger_fencing_token()
    {
        var theLock = Store.CreateLock(K("relock"));
        var first = await theLock.AcquireAsync().WaitAsync(Patience);
        await first.DisposeAsync();
        var second = await theLock.AcquireAsync().WaitAsync(Patience);
        Assert.True(second.FencingToken > first.FencingToken);
        await second.DisposeAsync();
    }

    [Fact]
    public async Task Second_contender_blocks_until_the_holder_releases()
    {
        var other = await ConnectExtraAsync();
        var holder = await Store.CreateLock(K("contended"), new KvLockOptions { Value = V("first") }).AcquireAsync().WaitAsync(Patience);
        var waiting = other.CreateLock(K("contended"), new KvLockOptions { Value = V("second") }).AcquireAsync();

        var early = await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromSeconds(2)));
        Assert.NotSame(waiting, early);
        Assert.Equal("first", (await Store.GetAsync(K("contended")))?.ValueAsString);

        await holder.ReleaseAsync();
        var lease = await waiting.WaitAsync(Patience);
        Assert.Equal("second", (await Store.GetAsync(K("contended")))?.ValueAsString);
        await lease.DisposeAsync();
    }

    [Fact]
    public async Task Acquire_is_cancellable_and_leaves_nothing_held()
    {
        var other = await ConnectExtraAsync();
        var holder = await Store.CreateLock(K("cancellable")).AcquireAsync().WaitAsync(Patience);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => other.CreateLock(K("cancellable")).AcquireAsync(cts.Token).WaitAsync(Patience));

        await holder.ReleaseAsync();
        var next = await Store.CreateLock(K("cancellable")).AcquireAsync().WaitAsync(Patience);
        await next.DisposeAsync();
    }

    [Fact]
    public async Task Lease_renews_itself_past_its_ttl()
    {
        var holder = await Store.CreateLock(K("renewed"), new KvLockOptions { Ttl = ShortTtl }).AcquireAsync().WaitAsync(Patience);
        var other = await ConnectExtraAsync();
        using var cts = new CancellationTokenSource(ShortTtl * 2.5);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => other.CreateLock(K("renewed")).AcquireAsync(cts.Token));
        Assert.False(holder.Lost.IsCancellationRequested);
        Assert.True(await Store.ExistsAsync(K("renewed")));
        await holder.DisposeAsync();
    }

    [Fact]
    public async Task A_holder_that_disappears_frees_the_lock_within_its_ttl()
    {
        var dying = await ConnectAsync();
        await dying.CreateLock(K("orphan"), new KvLockOptions { Ttl = ShortTtl }).AcquireAsync().WaitAsync(Patience);
        await dying.DisposeAsync();

        var other = await ConnectExtraAsync();
        var lease = await other.CreateLock(K("orphan")).AcquireAsync().WaitAsync(ShortTtl + ExpiryGrace + ExpiryGrace);
        await lease.DisposeAsync();
    }

    [Fact]
    public async Task Lost_fires_when_the_lock_is_taken_away()
    {
        var lease = await Store.CreateLock(K("stolen"), new KvLockOptions { Ttl = ShortTtl }).AcquireAsync().WaitAsync(Patience);
        var lost = new TaskCompletionSource();
        using var registration = lease.Lost.Register(() => lost.TrySetResult());
        var admin = await ConnectExtraAsync();
        await admin.DeleteAsync(K("stolen"));
        await lost.Task.WaitAsync(ShortTtl + ExpiryGrace + ExpiryGrace);
        await lease.DisposeAsync();
    }

    [Fact]
    public async Task Lock_bookkeeping_is_invisible_to_list_and_watch_tree()
    {
        await Store.PutAsync(K("locks/config"), V("plain"));
        await using var watch = new StreamReader<KvTreeChange>(ct => Store.WatchTreeAsync(K("locks"), cancellationToken: ct));
        await watch.NextAsync(Patience, "the snapshot");
        var other = await ConnectExtraAsync();
        var holder = await Store.CreateLock(K("locks/job")).AcquireAsync().WaitAsync(Patience);
        var waiter = other.CreateLock(K("locks/job")).AcquireAsync();

        var keys = (await Store.ListAsync(K("locks"))).Select(p => p.Key).ToList();
        Assert.Equal([K("locks/config"), K("locks/job")], keys);
        Assert.DoesNotContain(await Store.ListAsync(""), p => KvKeys.IsReserved(p.Key) || p.Key.StartsWith(K("locks/job") + "/", StringComparison.Ordinal));

        await holder.ReleaseAsync();
        await (await waiter.WaitAsync(Patience)).DisposeAsync();
        var seen = new List<string>();
        while (await watch.HasItemWithinAsync(TimeSpan.FromSeconds(1)))
        {
            var change = await watch.NextAsync(Patience);
            seen.AddRange(change.IsSnapshot ? change.Snapshot.Select(p => p.Key) : change.Events.Select(e => e.Key));
        }

        Assert.All(seen, key => Assert.Equal(K("locks/job"), key));
    }
}
