namespace Valkeyrie.Testing.Conformance;

/// <summary>TTL expiry and keep-alive (docs/store-contract.md).</summary>
public abstract class KvTtlConformance : KvConformanceBase
{
    private TimeSpan ShortTtl => MinimumTtl > TimeSpan.FromSeconds(2) ? MinimumTtl : TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_key_with_a_ttl_exists_then_expires()
    {
        await Store.PutAsync(K("ttl"), V("brief"), new KvWriteOptions { Ttl = ShortTtl });
        Assert.Equal("brief", (await Store.GetAsync(K("ttl")))?.ValueAsString);
        await EventuallyAsync(async () => !await Store.ExistsAsync(K("ttl")), ShortTtl + ExpiryGrace, "the key to expire");
        Assert.DoesNotContain(await Store.ListAsync(Root), p => p.Key == K("ttl"));
    }

    [Fact]
    public async Task A_sub_second_ttl_is_rounded_up_not_dropped()
    {
        await Store.PutAsync(K("subsecond"), V("x"), new KvWriteOptions { Ttl = TimeSpan.FromMilliseconds(300) });
        await EventuallyAsync(async () => !await Store.ExistsAsync(K("subsecond")), MinimumTtl + ExpiryGrace, "the sub-second key to expire");
    }

    [Fact]
    public async Task An_expired_key_is_reported_as_a_delete_to_watchers()
    {
        await using var watch = new StreamReader<KvTreeChange>(ct => Store.WatchTreeAsync(K("expiring"), cancellationToken: ct));
        await watch.NextAsync(Patience, "the snapshot");
        await Store.PutAsync(K("expiring/k"), V("x"), new KvWriteOptions { Ttl = ShortTtl });
        await watch.NextMatchingAsync(c => c.Events.Any(e => e.Kind == KvEventKind.Put), Patience, "the put");
        await watch.NextMatchingAsync(
            c => c.IsSnapshot ? c.Snapshot.Count == 0 : c.Events.Any(e => e.Kind == KvEventKind.Delete && e.Key == K("expiring/k")),
            ShortTtl + ExpiryGrace + Patience,
            "the expiry");
    }

    [Fact]
    public async Task Overwriting_without_ttl_makes_the_key_permanent()
    {
        await Store.PutAsync(K("made-permanent"), V("1"), new KvWriteOptions { Ttl = ShortTtl });
        await Store.PutAsync(K("made-permanent"), V("2"));
        await Task.Delay(ShortTtl + ShortTtl);
        Assert.Equal("2", (await Store.GetAsync(K("made-permanent")))?.ValueAsString);
    }

    [Fact]
    public async Task KeepAlive_renews_until_the_writer_disappears()
    {
        var writer = await ConnectAsync();
        await writer.PutAsync(K("alive"), V("beating"), new KvWriteOptions { Ttl = ShortTtl, KeepAlive = true });
        await Task.Delay(ShortTtl * 2.5);
        Assert.Equal("beating", (await Store.GetAsync(K("alive")))?.ValueAsString);

        await writer.DisposeAsync();
        await EventuallyAsync(async () => !await Store.ExistsAsync(K("alive")), ShortTtl + ExpiryGrace, "the kept-alive key to expire after its writer disappeared");
    }

    [Fact]
    public async Task Invalid_ttl_options_are_rejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(K("bad-ttl"), V("x"), new KvWriteOptions { Ttl = TimeSpan.Zero }));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(K("bad-ttl"), V("x"), new KvWriteOptions { KeepAlive = true }));
        Assert.False(await Store.ExistsAsync(K("bad-ttl")));
    }
}
