using System.Runtime.CompilerServices;
using Amazon.DynamoDBv2.Model;
using Valkeyrie.Backends;
using static Valkeyrie.DynamoDB.DynamoDbSchema;

namespace Valkeyrie.DynamoDB;

/// <summary>
/// The change log, which is also the commit log. Every write gets the next revision by creating the log entry for head+1
/// with <c>attribute_not_exists</c>, so revisions are contiguous and totally ordered and a lost race is detected atomically.
/// How the data items follow depends on the commit mode:
/// <list type="bullet">
/// <item><b>native</b>: the entry (already marked done) and every data item are written by one <c>TransactWriteItems</c> call,
/// each key under the call's own condition (see DynamoDbChangeLog.Native.cs).</item>
/// <item><b>log</b>: conditions are checked on a consistent read as of the head, the entry is put alone, then its operations
/// are applied to the data items (conditional on <c>ver &lt; revision</c>, so applying twice or late never overwrites newer
/// data) and the entry is marked done. A writer that dies in between leaves the head not done: the next writer (or a watch
/// or a consistent read) rolls it forward before deciding anything.</item>
/// </list>
/// Both modes keep the same log format, so clients in either mode can share a table. Deletes leave tombstones so that a
/// late apply cannot resurrect a key; they go when their entry is trimmed.
/// </summary>
internal sealed partial class DynamoDbChangeLog(DynamoDbTable table, DynamoDbKvStoreOptions options, TimeProvider time)
{
    /// <summary>The largest log entry written, leaving room under DynamoDB's 400 KB item limit.</summary>
    public const int MaxEntryBytes = 350 * 1024;

    private const int TrimEvery = 64;
    private const int ApplyParallelism = 16;

    // The newest revision this client knows to be applied, or -1: a hint that saves a head query per write. A stale hint
    // only costs a failed commit, after which the head is read again.
    private long _knownHead = -1;
    private int _trimming;

    public long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Commits the writes <paramref name="plan"/> decides on, retrying the decision whenever another writer got there first.</summary>
    public async Task<T> CommitAsync<T>(string? key, Func<CancellationToken, Task<WritePlan<T>>> plan, CancellationToken cancellationToken)
    {
        var backoff = new KvBackoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(250));
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var known = Interlocked.Read(ref _knownHead);
            var head = known >= 0 ? (ulong)known : await ReadHeadAsync(rollForward: true, cancellationToken).ConfigureAwait(false);
            var decided = await plan(cancellationToken).ConfigureAwait(false);
            List<LogOperation> operations = [.. decided.Writes.Select(w => w.Operation).OfType<LogOperation>()];
            ThrowIfTooLarge(operations, key);
            var revision = head + 1;

            // A plan that only checks writes nothing, so a consistent read decides it in either mode.
            if (operations.Count > 0 && Mode != DynamoDbCommitMode.Log)
            {
                var outcome = await TryTransactAsync(revision, decided.Writes, operations, key, cancellationToken).ConfigureAwait(false);
                switch (outcome.Kind)
                {
                    case NativeOutcomeKind.Committed:
                        Advance(revision);
                        MaybeTrim(revision);
                        return decided.Committed(revision);
                    case NativeOutcomeKind.Refused:
                        return decided.Refused(outcome.Item);
                    case NativeOutcomeKind.Unsupported:
                        continue;
                }
            }
            else
            {
                if (await FindRefusalAsync(decided.Writes, cancellationToken).ConfigureAwait(false) is { } refusal)
                {
                    return decided.Refused(refusal.Item);
                }

                if (operations.Count == 0)
                {
                    return decided.Committed(head);
                }

                if (await TryAppendAsync(revision, operations, key, cancellationToken).ConfigureAwait(false))
                {
                    // Committed: finishing must not depend on the caller's token (the next writer would roll it forward anyway).
                    await FinishAsync(new LogEntry(revision, operations, NowMs, false), time.GetTimestamp(), CancellationToken.None).ConfigureAwait(false);
                    MaybeTrim(revision);
                    return decided.Committed(revision);
                }
            }

            Interlocked.Exchange(ref _knownHead, -1);
            await backoff.DelayAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private readonly record struct Refusal(StoredItem? Item);

    // Log mode: the conditions are checked on a consistent read. A read newer than the head is fine: a refusal is then
    // true of a later committed state, and a pass is only used if the append for head+1 succeeds, proving nothing changed.
    private async Task<Refusal?> FindRefusalAsync(IReadOnlyList<PlannedWrite> writes, CancellationToken cancellationToken)
    {
        List<PlannedWrite> conditioned = [.. writes.Where(w => w.Condition.Kind != KeyConditionKind.None)];
        if (conditioned.Count == 0)
        {
            return null;
        }

        var found = await table.BatchGetAsync([.. conditioned.Select(w => w.Key)], true, cancellationToken).ConfigureAwait(false);
        var now = NowMs;
        foreach (var write in conditioned)
        {
            var item = found.GetValueOrDefault(write.Key);
            if (!write.Condition.HoldsFor(item, now))
            {
                return new Refusal(item);
            }
        }

        return null;
    }

    private void ThrowIfTooLarge(IReadOnlyList<LogOperation> operations, string? key)
    {
        var size = operations.Sum(o => o.ApproximateSize);
        if (size > MaxEntryBytes)
        {
            throw new KvLimitExceededException("dynamodb", table.Endpoint, key,
                $"One write may carry at most {MaxEntryBytes / 1024} KB of keys and values (this one has about {size / 1024} KB), because the change log keeps a copy in one DynamoDB item; nothing was written. Write smaller values or split the transaction.");
        }
    }

    /// <summary>Reads the newest revision; with <paramref name="rollForward"/>, first applies it if its writer did not finish.</summary>
    public async Task<ulong> ReadHeadAsync(bool rollForward, CancellationToken cancellationToken)
    {
        var request = new QueryRequest
        {
            TableName = table.Name,
            KeyConditionExpression = "#pk = :pk",
            ExpressionAttributeNames = new() { ["#pk"] = PartitionKey },
            ExpressionAttributeValues = new() { [":pk"] = new AttributeValue { S = LogPartition } },
            ScanIndexForward = false,
            Limit = 1,
            ConsistentRead = true,
        };
        var response = await table.CallAsync((c, ct) => c.QueryAsync(request, ct), null, cancellationToken).ConfigureAwait(false);
        if (response.Items is not { Count: > 0 } items)
        {
            return 0;
        }

        var head = LogEntry.From(items[0]);
        if (rollForward)
        {
            if (!head.IsDone)
            {
                await FinishAsync(head, time.GetTimestamp(), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                Advance(head.Revision);
            }
        }

        return head.Revision;
    }

    /// <summary>The committed entries after <paramref name="revision"/>, in order (gaps mean trimmed history).</summary>
    public IAsyncEnumerable<LogEntry> ReadAfterAsync(ulong revision, CancellationToken cancellationToken) =>
        ReadRangeAsync("#sk > :sk", RevisionKey(revision), cancellationToken);

    /// <summary>Applies a committed entry whose writer did not finish (if it still is not done), so readers see it.</summary>
    public Task RollForwardAsync(LogEntry entry, CancellationToken cancellationToken) => FinishAsync(entry, time.GetTimestamp(), cancellationToken);

    private async IAsyncEnumerable<LogEntry> ReadRangeAsync(string condition, string sortKey, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var items = table.QueryAsync(
            () => new QueryRequest
            {
                KeyConditionExpression = "#pk = :pk AND " + condition,
                ExpressionAttributeNames = new() { ["#pk"] = PartitionKey, ["#sk"] = SortKey },
                ExpressionAttributeValues = new()
                {
                    [":pk"] = new AttributeValue { S = LogPartition },
                    [":sk"] = new AttributeValue { S = sortKey },
                },
                ConsistentRead = true,
            },
            null,
            cancellationToken);
        await foreach (var item in items.ConfigureAwait(false))
        {
            yield return LogEntry.From(item);
        }
    }

    /// <summary>Commits an entry for <paramref name="revision"/>; false when another writer committed that revision first.</summary>
    internal async Task<bool> TryAppendAsync(ulong revision, IReadOnlyList<LogOperation> operations, string? key, CancellationToken cancellationToken)
    {
        ThrowIfTooLarge(operations, key);
        var token = NewCommitToken();
        var request = new PutItemRequest
        {
            TableName = table.Name,
            Item = EntryItem(revision, operations, token, done: false),
            ConditionExpression = "attribute_not_exists(#sk)",
            ExpressionAttributeNames = new() { ["#sk"] = SortKey },
        };
        try
        {
            await table.CallAsync((c, ct) => c.PutItemAsync(request, ct), key, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return await IsOwnEntryAsync(revision, token, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string NewCommitToken() => Guid.NewGuid().ToString("N");

    // A commit whose response was lost is sent again by the SDK's retries, and then finds its own entry in the way; the
    // token tells that apart from another writer's entry, so the write is neither reported as lost nor done twice.
    private async Task<bool> IsOwnEntryAsync(ulong revision, string token, CancellationToken cancellationToken)
    {
        var request = new GetItemRequest
        {
            TableName = table.Name,
            Key = new()
            {
                [PartitionKey] = new AttributeValue { S = LogPartition },
                [SortKey] = new AttributeValue { S = RevisionKey(revision) },
            },
            ProjectionExpression = "#tok",
            ExpressionAttributeNames = new() { ["#tok"] = CommitToken },
            ConsistentRead = true,
        };
        var response = await table.CallAsync((c, ct) => c.GetItemAsync(request, ct), null, cancellationToken).ConfigureAwait(false);
        return response.Item is { } item && item.TryGetValue(CommitToken, out var stored) && stored.S == token;
    }

    private Dictionary<string, AttributeValue> EntryItem(ulong revision, IReadOnlyList<LogOperation> operations, string token, bool done)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [CommitToken] = new AttributeValue { S = token },
            [PartitionKey] = new AttributeValue { S = LogPartition },
            [SortKey] = new AttributeValue { S = RevisionKey(revision) },
            [At] = new AttributeValue { N = Number(NowMs) },
            [Operations] = new AttributeValue { L = [.. operations.Select(o => o.ToAttribute())] },
        };
        if (done)
        {
            item[Done] = new AttributeValue { BOOL = true };
        }

        return item;
    }

    // Applies an entry's operations to the data items, then marks it done. Idempotent and safe to run concurrently; a
    // runner that has been stalled for half the log retention stops, because by then the tombstones that protect newer
    // writes may be trimmed (and someone else has finished the entry long ago).
    private async Task FinishAsync(LogEntry entry, long started, CancellationToken cancellationToken)
    {
        var staleAfter = options.LogRetention / 2;
        foreach (var chunk in entry.Operations.Chunk(ApplyParallelism))
        {
            if (time.GetElapsedTime(started) > staleAfter)
            {
                return;
            }

            await Task.WhenAll(chunk.Select(o => ApplyAsync(entry.Revision, o, cancellationToken))).ConfigureAwait(false);
        }

        var done = new UpdateItemRequest
        {
            TableName = table.Name,
            Key = new()
            {
                [PartitionKey] = new AttributeValue { S = LogPartition },
                [SortKey] = new AttributeValue { S = RevisionKey(entry.Revision) },
            },
            UpdateExpression = "SET #done = :true",
            ConditionExpression = "attribute_exists(#sk)",
            ExpressionAttributeNames = new() { ["#done"] = Done, ["#sk"] = SortKey },
            ExpressionAttributeValues = new() { [":true"] = new AttributeValue { BOOL = true } },
        };
        try
        {
            await table.CallAsync((c, ct) => c.UpdateItemAsync(done, ct), null, cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            // Trimmed already: long done.
        }

        Advance(entry.Revision);
    }

    private async Task ApplyAsync(ulong revision, LogOperation operation, CancellationToken cancellationToken)
    {
        var request = new PutItemRequest
        {
            TableName = table.Name,
            Item = operation.ToDataItem(revision),
            // An item an operator wrote without a numeric version is not a newer revision: it is replaced too.
            ConditionExpression = "attribute_not_exists(#sk) OR NOT attribute_type(#ver, :number) OR #ver < :rev",
            ExpressionAttributeNames = new() { ["#sk"] = SortKey, ["#ver"] = VersionAttr },
            ExpressionAttributeValues = new() { [":rev"] = new AttributeValue { N = Number(revision) }, [":number"] = new AttributeValue { S = "N" } },
        };
        try
        {
            await table.CallAsync((c, ct) => c.PutItemAsync(request, ct), operation.Key, cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            // Applied already, or superseded by a newer revision; or an operator's tool left a version no revision has
            // reached, which would block this key forever.
            await OverwriteForeignVersionAsync(revision, operation, cancellationToken).ConfigureAwait(false);
        }
    }

    // A data item whose version is above the log head was not written through the log (docs/operators.md): the
    // revision being applied is the newest real write of the key, so it replaces the item, unless the item changed again.
    private async Task OverwriteForeignVersionAsync(ulong revision, LogOperation operation, CancellationToken cancellationToken)
    {
        var read = new GetItemRequest { TableName = table.Name, Key = StoredItem.KeyOf(operation.Key), ConsistentRead = true };
        var current = StoredItem.From((await table.CallAsync((c, ct) => c.GetItemAsync(read, ct), operation.Key, cancellationToken).ConfigureAwait(false)).Item);
        if (current is null || current.Version <= revision || current.Version <= await ReadHeadAsync(rollForward: false, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var request = new PutItemRequest
        {
            TableName = table.Name,
            Item = operation.ToDataItem(revision),
            ConditionExpression = "#ver = :seen",
            ExpressionAttributeNames = new() { ["#ver"] = VersionAttr },
            ExpressionAttributeValues = new() { [":seen"] = new AttributeValue { N = Number(current.Version) } },
        };
        try
        {
            await table.CallAsync((c, ct) => c.PutItemAsync(request, ct), operation.Key, cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            // Changed meanwhile: the newer write decides.
        }
    }

    private void Advance(ulong revision)
    {
        var known = Interlocked.Read(ref _knownHead);
        while ((long)revision > known)
        {
            var seen = Interlocked.CompareExchange(ref _knownHead, (long)revision, known);
            if (seen == known)
            {
                return;
            }

            known = seen;
        }
    }

    private void MaybeTrim(ulong revision)
    {
        if (revision % TrimEvery != 0 || Interlocked.Exchange(ref _trimming, 1) != 0)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await TrimAsync(revision).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Trimming is background housekeeping: a failure leaves old entries for the next trim and must not crash the process.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
            finally
            {
                Interlocked.Exchange(ref _trimming, 0);
            }
        });
    }

    // Removes entries older than the retention below a committed revision (never the head, whose revision every new
    // write builds on), and the tombstones their deletes left behind.
    internal async Task TrimAsync(ulong below)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var cutoff = NowMs - (long)options.LogRetention.TotalMilliseconds;
        var trimmed = new List<Dictionary<string, AttributeValue>>();
        await foreach (var entry in ReadRangeAsync("#sk < :sk", RevisionKey(below), timeout.Token).ConfigureAwait(false))
        {
            if (entry.AtMs >= cutoff)
            {
                break;
            }

            foreach (var delete in entry.Operations.Where(o => o.IsDelete))
            {
                await DeleteTombstoneAsync(delete.Key, entry.Revision, timeout.Token).ConfigureAwait(false);
            }

            trimmed.Add(new()
            {
                [PartitionKey] = new AttributeValue { S = LogPartition },
                [SortKey] = new AttributeValue { S = RevisionKey(entry.Revision) },
            });
            if (trimmed.Count >= 100)
            {
                await table.BatchDeleteAsync(trimmed, timeout.Token).ConfigureAwait(false);
                trimmed.Clear();
            }
        }

        await table.BatchDeleteAsync(trimmed, timeout.Token).ConfigureAwait(false);
    }

    private async Task DeleteTombstoneAsync(string key, ulong revision, CancellationToken cancellationToken)
    {
        var request = new DeleteItemRequest
        {
            TableName = table.Name,
            Key = StoredItem.KeyOf(key),
            ConditionExpression = "#ver = :rev AND #del = :true",
            ExpressionAttributeNames = new() { ["#ver"] = VersionAttr, ["#del"] = Tombstone },
            ExpressionAttributeValues = new()
            {
                [":rev"] = new AttributeValue { N = Number(revision) },
                [":true"] = new AttributeValue { BOOL = true },
            },
        };
        try
        {
            await table.CallAsync((c, ct) => c.DeleteItemAsync(request, ct), key, cancellationToken).ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            // Written again since: not a tombstone of this delete any more.
        }
    }
}
