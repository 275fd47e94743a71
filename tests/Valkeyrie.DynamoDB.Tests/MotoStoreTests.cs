using Valkeyrie.Testing.Conformance;
using Valkeyrie.Testing.Servers;
using Valkeyrie.Testing.Servers.Fixtures;

namespace Valkeyrie.DynamoDB.Tests;

/// <summary>The store tests on moto, plus what only an endpoint with TransactWriteItems can show: both modes on one table.</summary>
[Collection(MotoCollection.Name)]
public sealed class MotoStoreTests(MotoServerFixture fixture) : DynamoDbStoreTests
{
    protected override ServerProcess Server => fixture.Server;

    protected override DynamoDbCommitMode DetectedMode => DynamoDbCommitMode.Native;

    protected override string Table { get; } = DynamoDbTarget.NewTable();

    [Fact]
    public async Task Log_mode_and_native_clients_share_a_table_and_a_watch_sees_both_in_order()
    {
        var native = Connect(commitMode: DynamoDbCommitMode.Native);
        var log = Connect(commitMode: DynamoDbCommitMode.Log);
        await using var watch = new StreamReader<KvTreeChange>(ct => native.WatchTreeAsync(K("mixed"), cancellationToken: ct));
        Assert.Empty((await watch.NextAsync(TimeSpan.FromSeconds(30), "the snapshot")).Snapshot);

        var first = await log.PutAsync(K("mixed/a"), "log-1"u8.ToArray());
        var second = await native.AtomicPutAsync(K("mixed/a"), "native-2"u8.ToArray(), first.LastIndex);
        Assert.True(second.Succeeded);
        Assert.Equal(KvCasOutcome.KeyModified, (await log.AtomicPutAsync(K("mixed/a"), "stale"u8.ToArray(), first.LastIndex)).Outcome);
        var third = await log.AtomicPutAsync(K("mixed/a"), "log-3"u8.ToArray(), second.Pair!.LastIndex);
        Assert.True(third.Succeeded);
        Assert.True(await native.CommitAsync(new KvTransaction()
            .CheckIndex(K("mixed/a"), third.Pair!.LastIndex)
            .Delete(K("mixed/a"))
            .Put(K("mixed/b"), "native-4"u8.ToArray())));
        Assert.True(await log.DeleteAsync(K("mixed/b")));
        Assert.Equal(DynamoDbCommitMode.Native, native.CommitMode);
        Assert.Equal(DynamoDbCommitMode.Log, log.CommitMode);

        // A transaction is one change holding all its events; six events in all, in commit order.
        var seen = new List<string>();
        while (seen.Count < 6)
        {
            var change = await watch.NextAsync(TimeSpan.FromSeconds(30), "the writes of both clients");
            Assert.False(change.IsSnapshot);
            seen.AddRange(change.Events.Select(e => $"{e.Kind} {e.Key[(e.Key.LastIndexOf('/') + 1)..]} {e.Pair?.ValueAsString}".TrimEnd()));
        }

        Assert.Equal(["Put a log-1", "Put a native-2", "Put a log-3", "Delete a", "Put b native-4", "Delete b"], seen);
    }

    [Fact]
    public async Task A_native_writer_rolls_forward_a_log_entry_whose_writer_died_before_applying_it()
    {
        var native = Connect(commitMode: DynamoDbCommitMode.Native);
        var options = Options();
        using var table = new DynamoDbTable(options);
        var log = new DynamoDbChangeLog(table, options, TimeProvider.System);
        var head = await log.ReadHeadAsync(rollForward: true, CancellationToken.None);
        Assert.True(await log.TryAppendAsync(head + 1, [LogOperation.Put(K("orphan"), "committed"u8.ToArray(), null)], null, CancellationToken.None));

        var written = await native.PutAsync(K("other"), "x"u8.ToArray());
        Assert.True(written.LastIndex > head + 1);
        var orphan = await native.GetAsync(K("orphan"));
        Assert.Equal("committed", orphan?.ValueAsString);
        Assert.Equal(head + 1, orphan!.LastIndex);
    }
}
