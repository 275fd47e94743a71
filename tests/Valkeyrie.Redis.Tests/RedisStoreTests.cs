using System.Globalization;
using System.Text;
using Valkeyrie.Backends;
using Valkeyrie.Testing.Conformance;

namespace Valkeyrie.Redis.Tests;

/// <summary>Redis-specific behaviour: the on-store layout, glob-safe listing, foreign data, log trimming, limits.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisStoreTests(RedisFixture fixture) : IAsyncLifetime
{
    private readonly string _root = $"redis-tests/{Guid.NewGuid():N}";
    private IKvStore _store = null!;

    public Task InitializeAsync()
    {
        _store = fixture.Connect();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _store.DeleteTreeAsync(_root);
        await _store.DisposeAsync();
    }

    private string K(string relative) => $"{_root}/{relative}";

    private static byte[] V(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Prefixes_and_keys_full_of_glob_characters_are_listed_exactly()
    {
        var inside = new[] { "*[a]?/x", "*[a]?/y*", "*[a]?/deep/[z]" };
        var outside = new[] { "*[a]?x/1", "*[b]?/1", "a/1", "?[a]*/1", "*[a]/1", "*[a]?" };
        foreach (var name in inside.Concat(outside))
        {
            await _store.PutAsync(K(name), V(name));
        }

        var listed = await _store.ListAsync(K("*[a]?"));
        Assert.Equal(inside.Select(K).Order(StringComparer.Ordinal), listed.Select(p => p.Key));
        Assert.Equal(4, await _store.DeleteTreeAsync(K("*[a]?"))); // the prefix key itself too
        Assert.Equal(outside.Where(n => n != "*[a]?").Select(K).Order(StringComparer.Ordinal), (await _store.ListAsync(_root)).Select(p => p.Key));
    }

    [Fact]
    public async Task The_layout_is_a_hash_with_value_and_index_that_redis_cli_can_read()
    {
        var written = await _store.PutAsync(K("layout"), V("5432"));
        Assert.Equal("5432", await fixture.Server.ExecuteAsync("HGET", K("layout"), "value"));
        Assert.Equal(written.LastIndex.ToString(CultureInfo.InvariantCulture), await fixture.Server.ExecuteAsync("HGET", K("layout"), "index"));
        Assert.Equal("0", await fixture.Server.ExecuteAsync("ZSCORE", "_valkeyrie/keys", K("layout")));
    }

    [Fact]
    public async Task Ttl_has_millisecond_precision_on_the_server()
    {
        await _store.PutAsync(K("ttl"), V("x"), new KvWriteOptions { Ttl = TimeSpan.FromMilliseconds(60_250) });
        var pttl = long.Parse(await fixture.Server.ExecuteAsync("PTTL", K("ttl")) ?? "-2", CultureInfo.InvariantCulture);
        Assert.InRange(pttl, 50_000, 60_250);
        await _store.PutAsync(K("ttl"), V("y"));
        Assert.Equal("-1", await fixture.Server.ExecuteAsync("PTTL", K("ttl")));
    }

    [Fact]
    public async Task A_key_overwritten_with_plain_SET_gives_a_clear_error_and_can_be_rewritten()
    {
        await _store.PutAsync(K("foreign"), V("1"));
        await fixture.Server.ExecuteAsync("SET", K("foreign"), "typed-by-hand");

        var error = await Assert.ThrowsAsync<KvException>(() => _store.GetAsync(K("foreign")));
        Assert.Contains(K("foreign"), error.Message, StringComparison.Ordinal);
        Assert.Contains("not written by Valkeyrie", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(K("foreign"), (await _store.ListAsync(_root)).Select(p => p.Key)); // one foreign key never fails a list
        Assert.Equal(KvCasOutcome.KeyExists, (await _store.AtomicPutAsync(K("foreign"), V("2"), 0)).Outcome);

        var rewritten = await _store.PutAsync(K("foreign"), V("2"));
        Assert.Equal(rewritten, await _store.GetAsync(K("foreign")));
    }

    [Fact]
    public async Task A_watcher_behind_a_trimmed_change_log_is_told_history_was_lost()
    {
        await using var store = fixture.Connect("&logLength=100");
        var feed = (IKvChangeFeed)store;
        var scope = KvScope.ForTree(K("trim"));
        var start = await feed.ReadScopeAsync(scope, KvReadOptions.Default, CancellationToken.None);
        await Task.WhenAll(Enumerable.Range(0, 600).Select(i => store.PutAsync(K($"trim/{i % 7}"), V(i.ToString(CultureInfo.InvariantCulture)))));

        await Assert.ThrowsAsync<KvHistoryLostException>(async () =>
        {
            await foreach (var _ in feed.ReadChangesAsync(scope, start.Revision, KvReadOptions.Default, CancellationToken.None))
            {
            }
        });
    }

    [Fact]
    public async Task A_transaction_over_the_limit_is_rejected_and_writes_nothing()
    {
        var transaction = new KvTransaction();
        for (var i = 0; i <= KvStoreLimits.Redis.MaxTransactionOperations; i++)
        {
            transaction.Put(K($"big/{i}"), V("x"));
        }

        var error = await Assert.ThrowsAsync<KvLimitExceededException>(() => _store.CommitAsync(transaction));
        Assert.Contains(KvStoreLimits.Redis.MaxTransactionOperations.ToString(CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.Empty(await _store.ListAsync(K("big")));
    }

    [Fact]
    public async Task Watchers_catch_up_after_their_pubsub_connection_is_killed()
    {
        await using var watch = new StreamReader<KvTreeChange>(ct => _store.WatchTreeAsync(K("killed"), cancellationToken: ct));
        Assert.True((await watch.NextAsync(TimeSpan.FromSeconds(30), "the snapshot")).IsSnapshot);

        await fixture.Server.ExecuteAsync("CLIENT", "KILL", "TYPE", "pubsub");
        await using var writer = fixture.Connect();
        var written = await writer.PutAsync(K("killed/while-away"), V("1"));

        var change = await watch.NextMatchingAsync(c => c.Events.Any(e => e.Key == written.Key), TimeSpan.FromSeconds(30), "the write made while the notification link was down");
        Assert.Equal(written, change.Events.Single(e => e.Key == written.Key).Pair);
    }

    [Fact]
    public async Task Lock_fencing_tokens_grow_across_holders_and_clients()
    {
        await using var other = fixture.Connect();
        var first = await _store.CreateLock(K("fenced")).AcquireAsync();
        var waiting = other.CreateLock(K("fenced")).AcquireAsync();
        await first.ReleaseAsync();
        var second = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(second.FencingToken > first.FencingToken);
        Assert.Equal(second.FencingToken, (await _store.GetAsync(K("fenced")))!.LastIndex);
        await second.ReleaseAsync();
    }

    [Fact]
    public async Task Releasing_a_lock_taken_over_by_someone_else_leaves_it_alone()
    {
        var lease = await _store.CreateLock(K("taken"), new KvLockOptions { Ttl = TimeSpan.FromSeconds(30) }).AcquireAsync();
        await fixture.Server.ExecuteAsync("DEL", K("taken"));
        var thief = await _store.PutAsync(K("taken"), V("someone else"));
        await lease.ReleaseAsync();
        Assert.Equal(thief, await _store.GetAsync(K("taken")));
    }

    [Fact]
    public async Task The_factory_creates_redis_stores_from_connection_strings()
    {
        await using var store = KvStoreFactory.Create(fixture.Server.ConnectionString);
        Assert.IsType<RedisKvStore>(store);
        await store.PutAsync(K("factory"), V("1"));
        Assert.True(await _store.ExistsAsync(K("factory")));
    }
}
