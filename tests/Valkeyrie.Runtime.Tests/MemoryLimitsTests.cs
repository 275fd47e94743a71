namespace Valkeyrie.Runtime.Tests;

/// <summary><c>memory://?limits=…</c>: the in-memory store emulating a backend's limits, or the smallest of all.</summary>
public sealed class MemoryLimitsTests
{
    public static TheoryData<string> Backends => ["consul", "etcd", "redis", "zookeeper", "dynamodb", "litedb", "portable"];

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Each_named_backend_limit_is_exact_on_memory(string name)
    {
        await using var store = (MemoryKvStore)KvStoreFactory.Create($"memory://?limits={name}");
        var limits = KvStoreLimits.Named(name);
        Assert.Same(limits, store.Limits);
        Assert.Equal(name, limits.Backend);

        await store.PutAsync("max", new byte[limits.MaxValueBytes]);
        var error = await Assert.ThrowsAsync<KvLimitExceededException>(() => store.PutAsync("over", new byte[limits.MaxValueBytes + 1]));
        Assert.Contains($"{name} stores at most {limits.MaxValueBytes}", error.Message, StringComparison.Ordinal);
        Assert.False(await store.ExistsAsync("over"));

        var transaction = new KvTransaction();
        for (var i = 0; i <= limits.MaxTransactionOperations; i++)
        {
            transaction.Put($"tx/{i:D4}", "x"u8.ToArray());
        }

        await Assert.ThrowsAsync<KvLimitExceededException>(() => store.CommitAsync(transaction));
        Assert.Empty(await store.ListAsync("tx"));
    }

    [Fact]
    public void Portable_is_the_smallest_of_all_backends()
    {
        KvStoreLimits[] all = [KvStoreLimits.Consul, KvStoreLimits.Etcd, KvStoreLimits.Redis, KvStoreLimits.ZooKeeper, KvStoreLimits.DynamoDB, KvStoreLimits.LiteDB];
        Assert.Equal(all.Min(l => l.MaxValueBytes), KvStoreLimits.Portable.MaxValueBytes);
        Assert.Equal(all.Min(l => l.MaxTransactionOperations), KvStoreLimits.Portable.MaxTransactionOperations);
        Assert.Equal(all.Max(l => l.MinimumTtl), KvStoreLimits.Portable.MinimumTtl);
        Assert.Equal(KvKeys.MaxKeyBytes, KvStoreLimits.Portable.MaxKeyBytes);
    }

    [Fact]
    public async Task A_ttl_under_the_emulated_floor_is_rounded_up_not_dropped()
    {
        var time = new ManualClock();
        await using var store = new MemoryKvStore(KvStoreLimits.Consul, time);
        await store.PutAsync("short", "x"u8.ToArray(), new KvWriteOptions { Ttl = TimeSpan.FromMilliseconds(5) });
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.True(await store.ExistsAsync("short"));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(await store.ExistsAsync("short"));
    }

    [Fact]
    public void An_unknown_limits_name_is_a_configuration_error_naming_the_choices()
    {
        var error = Assert.Throws<KvConfigurationException>(() => KvStoreFactory.Create("memory://?limits=cassandra"));
        Assert.Contains("portable", error.Message, StringComparison.Ordinal);
        Assert.Contains("cassandra", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_memory_has_no_limits()
    {
        var store = (MemoryKvStore)KvStoreFactory.Create("memory://");
        Assert.Same(KvStoreLimits.Unlimited, store.Limits);
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override DateTimeOffset GetUtcNow() => _now;

        public override long GetTimestamp() => _now.UtcTicks;

        public void Advance(TimeSpan by) => _now += by;
    }
}
