using System.Text;
using Valkeyrie.Testing.Servers.Fixtures;
using Valkeyrie.Testing.Conformance;
using Valkeyrie.Testing.Servers;

namespace Valkeyrie.DynamoDB.Tests;

/// <summary>
/// DynamoDB-specific behaviour, run on dynalite (log commits) and on moto (native commits): pagination, limits, the table
/// check, the change log's recovery, and reads that never see part of a transaction.
/// </summary>
public abstract class DynamoDbStoreTests : IAsyncLifetime
{
    private readonly string _root = $"dynamodb-tests/{Guid.NewGuid():N}";
    private readonly List<IKvStore> _stores = [];

    /// <summary>The server under test.</summary>
    protected abstract ServerProcess Server { get; }

    /// <summary>The mode a store in <see cref="DynamoDbCommitMode.Auto"/> settles on against <see cref="Server"/>.</summary>
    protected abstract DynamoDbCommitMode DetectedMode { get; }

    /// <summary>The table this test uses.</summary>
    protected virtual string Table => DynamoDbTarget.Table;

    protected static byte[] V(string text) => Encoding.UTF8.GetBytes(text);

    protected string K(string relative) => $"{_root}/{relative}";

    protected DynamoDbKvStoreOptions Options(int? pageSize = null, DynamoDbCommitMode commitMode = DynamoDbCommitMode.Auto) =>
        DynamoDbTarget.Options(DynamoDbTarget.ServiceUrl(Server), Table, pageSize: pageSize, commitMode: commitMode);

    protected DynamoDbKvStore Connect(int? pageSize = null, DynamoDbCommitMode commitMode = DynamoDbCommitMode.Auto)
    {
        var store = new DynamoDbKvStore(Options(pageSize, commitMode));
        _stores.Add(store);
        return store;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Connect().DeleteTreeAsync(_root);
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task More_than_one_page_is_listed_watched_and_deleted()
    {
        var store = Connect(pageSize: 3);
        var keys = Enumerable.Range(0, 20).Select(i => K($"paged/{i:D2}")).ToList();
        Assert.True(await store.CommitAsync(keys.Aggregate(new KvTransaction(), (tx, key) => tx.Put(key, V(key)))));

        var listed = await store.ListAsync(K("paged"));
        Assert.Equal(keys, listed.Select(p => p.Key));

        await using (var watch = new StreamReader<KvTreeChange>(ct => store.WatchTreeAsync(K("paged"), cancellationToken: ct)))
        {
            var snapshot = await watch.NextAsync(TimeSpan.FromSeconds(30), "the snapshot");
            Assert.Equal(keys, snapshot.Snapshot.Select(p => p.Key));
        }

        Assert.Equal(20, await store.DeleteTreeAsync(K("paged")));
        Assert.Empty(await store.ListAsync(K("paged")));
    }

    [Fact]
    public async Task A_tree_larger_than_one_log_entry_is_deleted_in_chunks_and_watchers_see_every_delete()
    {
        var store = Connect();
        var count = KvStoreLimits.DynamoDB.MaxTransactionOperations + 30;
        for (var start = 0; start < count; start += KvStoreLimits.DynamoDB.MaxTransactionOperations)
        {
            var tx = new KvTransaction();
            for (var i = start; i < Math.Min(count, start + KvStoreLimits.DynamoDB.MaxTransactionOperations); i++)
            {
                tx.Put(K($"big/{i:D3}"), V("x"));
            }

            Assert.True(await store.CommitAsync(tx));
        }

        await using var watch = new StreamReader<KvTreeChange>(ct => store.WatchTreeAsync(K("big"), cancellationToken: ct));
        Assert.Equal(count, (await watch.NextAsync(TimeSpan.FromSeconds(30), "the snapshot")).Snapshot.Count);
        Assert.Equal(count, await store.DeleteTreeAsync(K("big")));

        var deleted = new HashSet<string>();
        while (deleted.Count < count)
        {
            var change = await watch.NextAsync(TimeSpan.FromSeconds(30), "the deletes");
            Assert.False(change.IsSnapshot);
            deleted.UnionWith(change.Events.Where(e => e.Kind == KvEventKind.Delete).Select(e => e.Key));
        }
    }

    [Fact]
    public async Task A_transaction_at_the_operation_limit_commits_and_one_operation_more_is_rejected_with_nothing_written()
    {
        var store = Connect();
        Assert.Equal(99, KvStoreLimits.DynamoDB.MaxTransactionOperations);
        var atLimit = new KvTransaction();
        for (var i = 0; i < KvStoreLimits.DynamoDB.MaxTransactionOperations / 2; i++)
        {
            // A check merges into its key's write in the commit, but counts as an operation like on every backend.
            atLimit.CheckAbsent(K($"limit/{i:D3}")).Put(K($"limit/{i:D3}"), V("x"));
        }

        atLimit.Put(K("limit/last"), V("x"));
        Assert.True(await store.CommitAsync(atLimit));
        Assert.Equal((KvStoreLimits.DynamoDB.MaxTransactionOperations / 2) + 1, (await store.ListAsync(K("limit"))).Count);

        var head = await HeadAsync();
        var over = new KvTransaction();
        for (var i = 0; i <= KvStoreLimits.DynamoDB.MaxTransactionOperations; i++)
        {
            over.Put(K($"over/{i:D3}"), V("x"));
        }

        var error = await Assert.ThrowsAsync<KvLimitExceededException>(() => store.CommitAsync(over));
        Assert.Contains("dynamodb applies at most 99", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was written", error.Message, StringComparison.Ordinal);
        Assert.Empty(await store.ListAsync(K("over")));
        Assert.Equal(head, await HeadAsync());
    }

    [Fact]
    public async Task A_transaction_whose_check_fails_writes_nothing_not_even_a_log_entry()
    {
        var store = Connect();
        var kept = await store.PutAsync(K("fail/kept"), V("1"));
        await store.PutAsync(K("fail/doomed"), V("1"));
        var head = await HeadAsync();

        var committed = await store.CommitAsync(new KvTransaction()
            .Put(K("fail/new"), V("x"))
            .Delete(K("fail/doomed"))
            .CheckIndex(K("fail/kept"), kept.LastIndex)
            .CheckAbsent(K("fail/doomed")));

        Assert.False(committed);
        Assert.Equal(head, await HeadAsync());
        Assert.Null(await store.GetAsync(K("fail/new")));
        Assert.Equal("1", (await store.GetAsync(K("fail/doomed")))?.ValueAsString);
    }

    [Fact]
    public async Task Auto_mode_settles_on_the_mode_the_endpoint_supports()
    {
        var store = Connect();
        Assert.Equal(DynamoDbCommitMode.Auto, store.CommitMode);
        await store.PutAsync(K("mode"), V("x"));
        Assert.Equal(DetectedMode, store.CommitMode);
    }

    [Fact]
    public async Task Lists_never_see_part_of_a_transaction()
    {
        var writer = Connect();
        var reader = Connect();
        const int rounds = 25;
        var writing = Task.Run(async () =>
        {
            for (var i = 1; i <= rounds; i++)
            {
                var value = V(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var tx = new KvTransaction();
                foreach (var name in new[] { "a", "b", "c", "d", "e", "f" })
                {
                    tx.Put(K($"pairs/{name}"), value);
                }

                Assert.True(await writer.CommitAsync(tx));
            }
        });

        var lists = 0;
        while (!writing.IsCompleted || lists == 0)
        {
            var pairs = await reader.ListAsync(K("pairs"));
            Assert.True(pairs.Count is 0 or 6, $"a list saw {pairs.Count} of the 6 keys of one transaction");
            Assert.Single(pairs.Select(p => p.ValueAsString).Distinct().DefaultIfEmpty());
            lists++;
        }

        await writing;
        Assert.All(await reader.ListAsync(K("pairs")), p => Assert.Equal(rounds.ToString(System.Globalization.CultureInfo.InvariantCulture), p.ValueAsString));
    }

    private async Task<ulong> HeadAsync()
    {
        var options = Options();
        using var table = new DynamoDbTable(options);
        return await new DynamoDbChangeLog(table, options, TimeProvider.System).ReadHeadAsync(rollForward: false, CancellationToken.None);
    }

    [Fact]
    public async Task A_transaction_over_the_size_limit_is_rejected_and_writes_nothing()
    {
        var store = Connect();
        var big = new byte[200 * 1024];
        var tx = new KvTransaction().Put(K("heavy/a"), big).Put(K("heavy/b"), big);
        await Assert.ThrowsAsync<KvLimitExceededException>(() => store.CommitAsync(tx));
        Assert.Empty(await store.ListAsync(K("heavy")));
    }

    [Fact]
    public async Task A_missing_table_without_createTable_is_a_clear_configuration_error()
    {
        var options = DynamoDbTarget.Options(DynamoDbTarget.ServiceUrl(Server), table: $"missing-{Guid.NewGuid():N}", createTable: false);
        await using var store = new DynamoDbKvStore(options);
        var error = await Assert.ThrowsAsync<KvConfigurationException>(() => store.GetAsync(K("any")));
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("'pk' (String)", error.Message, StringComparison.Ordinal);
        Assert.Contains("createTable=true", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(options.SecretKey!, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_connection_string_creates_a_working_store()
    {
        var server = Server;
        var connectionString = $"{server.ConnectionString}&table={Table}&accessKey=a&secretKey=hidden-secret&createTable=true&pollInterval=100ms&pageSize=5";
        await using var store = KvStoreFactory.Create(connectionString);
        Assert.IsType<DynamoDbKvStore>(store);
        var written = await store.PutAsync(K("from-connection-string"), V("ok"));
        Assert.Equal(written, await store.GetAsync(K("from-connection-string")));
        Assert.DoesNotContain("hidden-secret", KvConnectionString.Parse(connectionString).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_and_invalid_parameters_are_configuration_errors()
    {
        var unknown = Assert.Throws<KvConfigurationException>(() => KvStoreFactory.Create("dynamodb://?table=t1&tabel=oops"));
        Assert.Contains("'tabel'", unknown.Message, StringComparison.Ordinal);
        Assert.Throws<KvConfigurationException>(() => KvStoreFactory.Create("dynamodb://?accessKey=only-half"));
        Assert.Throws<KvConfigurationException>(() => KvStoreFactory.Create("dynamodb://?serviceUrl=not a url"));
        Assert.Throws<KvConfigurationException>(() => KvStoreFactory.Create("dynamodb://?pageSize=0x"));
        Assert.Throws<KvConfigurationException>(() => KvStoreFactory.Create("dynamodb://somehost:8000?table=t1"));
        var mode = Assert.Throws<KvConfigurationException>(() => KvStoreFactory.Create("dynamodb://?commitMode=sometimes"));
        Assert.Contains("auto, native or log", mode.Message, StringComparison.Ordinal);
        Assert.Equal(DynamoDbCommitMode.Log, DynamoDbKvStoreOptions.FromConnectionString(KvConnectionString.Parse("dynamodb://?commitMode=LOG")).CommitMode);
        Assert.Equal(DynamoDbCommitMode.Native, DynamoDbKvStoreOptions.FromConnectionString(KvConnectionString.Parse("dynamodb://?commitMode=native")).CommitMode);
        Assert.Equal(DynamoDbCommitMode.Auto, DynamoDbKvStoreOptions.FromConnectionString(KvConnectionString.Parse("dynamodb://")).CommitMode);
        var secret = Assert.Throws<KvConfigurationException>(() => KvStoreFactory.Create("dynamodb://?secretKey=sssh-value"));
        Assert.DoesNotContain("sssh-value", secret.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Indexes_are_global_revisions_that_survive_a_new_client()
    {
        var first = await Connect().PutAsync(K("rev"), V("1"));
        var second = await Connect().PutAsync(K("rev"), V("2"));
        Assert.True(second.LastIndex > first.LastIndex);
        var other = await Connect().PutAsync(K("rev-other"), V("x"));
        Assert.True(other.LastIndex > second.LastIndex);
    }

    [Fact]
    public async Task A_write_committed_by_a_client_that_died_before_applying_it_is_rolled_forward_by_the_next_writer_or_reader()
    {
        var store = Connect();
        var options = Options();
        using var table = new DynamoDbTable(options);
        var log = new DynamoDbChangeLog(table, options, TimeProvider.System);
        var head = await log.ReadHeadAsync(rollForward: true, CancellationToken.None);

        // Commit an entry the way a log-mode writer does, then "die" before applying it.
        Assert.True(await log.TryAppendAsync(head + 1, [LogOperation.Put(K("orphan"), V("committed"), null)], null, CancellationToken.None));
        Assert.Null(await ReadRawAsync(table, K("orphan")));

        // The next writer finishes it before deciding anything, so its own write sees the committed state.
        var cas = await store.AtomicPutAsync(K("orphan"), V("second"), 0);
        Assert.Equal(KvCasOutcome.KeyExists, cas.Outcome);
        var pair = await store.GetAsync(K("orphan"));
        Assert.Equal("committed", pair?.ValueAsString);
        Assert.Equal(head + 1, pair!.LastIndex);

        // A consistent read does too: a committed write is never hidden.
        head = await log.ReadHeadAsync(rollForward: true, CancellationToken.None);
        Assert.True(await log.TryAppendAsync(head + 1, [LogOperation.Put(K("orphan-read"), V("committed"), null)], null, CancellationToken.None));
        Assert.Equal(head + 1, (await Connect(commitMode: DynamoDbCommitMode.Log).GetAsync(K("orphan-read")))?.LastIndex);
    }

    [Fact]
    public async Task Trimming_removes_old_entries_and_tombstones_and_a_watcher_behind_it_loses_history()
    {
        var store = Connect();
        var before = await store.PutAsync(K("trim/kept"), V("1"));
        await store.PutAsync(K("trim/gone"), V("1"));
        Assert.True(await store.DeleteAsync(K("trim/gone")));
        var head = (await store.PutAsync(K("trim/kept"), V("2"))).LastIndex;

        var options = Options();
        using var table = new DynamoDbTable(options);
        var later = new ShiftedTime(options.LogRetention + TimeSpan.FromMinutes(1));
        await new DynamoDbChangeLog(table, options, later).TrimAsync(head);

        Assert.Null(await ReadRawAsync(table, K("trim/gone")));
        var feed = (Backends.IKvChangeFeed)store;
        var scope = Backends.KvScope.ForTree(K("trim"));
        await Assert.ThrowsAsync<KvHistoryLostException>(async () =>
        {
            await foreach (var _ in feed.ReadChangesAsync(scope, before.LastIndex, KvReadOptions.Default, CancellationToken.None))
            {
            }
        });

        // The head is never trimmed: a watcher that is up to date goes on, and new revisions keep counting up.
        Assert.Equal(head, await new DynamoDbChangeLog(table, options, TimeProvider.System).ReadHeadAsync(false, CancellationToken.None));
        Assert.True((await store.PutAsync(K("trim/kept"), V("3"))).LastIndex > head);
        await using var watch = new StreamReader<KvTreeChange>(ct => store.WatchTreeAsync(K("trim"), cancellationToken: ct));
        Assert.Equal("3", Assert.Single((await watch.NextAsync(TimeSpan.FromSeconds(30))).Snapshot).ValueAsString);
    }

    private static async Task<Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>?> ReadRawAsync(DynamoDbTable table, string key)
    {
        var request = new Amazon.DynamoDBv2.Model.GetItemRequest { TableName = table.Name, Key = StoredItem.KeyOf(key), ConsistentRead = true };
        var response = await table.CallAsync((c, ct) => c.GetItemAsync(request, ct), key, CancellationToken.None);
        return response.Item is { Count: > 0 } item ? item : null;
    }

    private sealed class ShiftedTime(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + offset;
    }
}

[Collection(DynaliteCollection.Name)]
public sealed class DynaliteStoreTests(DynaliteServerFixture fixture) : DynamoDbStoreTests
{
    protected override ServerProcess Server => fixture.Server;

    protected override DynamoDbCommitMode DetectedMode => DynamoDbCommitMode.Log;

    [Fact]
    public async Task Native_mode_on_an_endpoint_without_TransactWriteItems_is_a_clear_configuration_error()
    {
        var store = Connect(commitMode: DynamoDbCommitMode.Native);
        var error = await Assert.ThrowsAsync<KvConfigurationException>(() => store.PutAsync(K("native"), V("x")));
        Assert.Contains("TransactWriteItems", error.Message, StringComparison.Ordinal);
        Assert.Contains("commitMode=auto", error.Message, StringComparison.Ordinal);
        Assert.Null(await Connect().GetAsync(K("native")));
    }
}
