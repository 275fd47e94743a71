using System.Collections.Concurrent;
using Amazon.DynamoDBv2.Model;
using Valkeyrie.Backends;
using static Valkeyrie.DynamoDB.DynamoDbSchema;

namespace Valkeyrie.DynamoDB;

/// <summary>
/// A store on one Amazon DynamoDB table (or any endpoint speaking its API, such as dynalite or moto). Every write gets a
/// revision in the table's change log (see docs/backends/dynamodb.md), as one <c>TransactWriteItems</c> call where the endpoint
/// has it: indexes are global revisions, compare-and-swap and transactions are atomic, and watches poll the log. Create it from <see cref="DynamoDbKvStoreOptions"/> or a <c>dynamodb://</c> connection string.
/// </summary>
public sealed partial class DynamoDbKvStore : KvStoreBase, IKvChangeFeed
{
    // The most keys one commit may write: DynamoDB's TransactWriteItems takes 100 items and one is the change-log entry.
    // KvStoreLimits.DynamoDB allows as many operations per transaction, in every commit mode, so a program behaves
    // alike on every endpoint.
    private const int MaxCommitKeys = DynamoDbChangeLog.MaxTransactItems - 1;

    // Consistent reads retry this often when writes keep landing in what they read; see ListAsync.
    private const int ReadAttempts = 5;

    private readonly DynamoDbKvStoreOptions _options;
    private readonly DynamoDbTable _table;
    private readonly DynamoDbChangeLog _log;
    private readonly TimeProvider _time;

    /// <summary>Creates a store; nothing is sent until the first call, which checks (or creates) the table.</summary>
    /// <param name="options">The table, endpoint, credentials and polling options.</param>
    public DynamoDbKvStore(DynamoDbKvStoreOptions options)
        : this(options, TimeProvider.System)
    {
    }

    internal DynamoDbKvStore(DynamoDbKvStoreOptions options, TimeProvider time)
        : base(KvStoreLimits.DynamoDB, time)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = time;
        _table = new DynamoDbTable(options);
        _log = new DynamoDbChangeLog(_table, options, time);
    }

    /// <summary>Creates a store from a <c>dynamodb://?table=…&amp;region=…</c> connection string.</summary>
    /// <param name="connectionString">The connection string.</param>
    public static DynamoDbKvStore Create(string connectionString) =>
        new(DynamoDbKvStoreOptions.FromConnectionString(KvConnectionString.Parse(connectionString)));

    /// <summary>
    /// How this store commits writes: the configured <see cref="DynamoDbKvStoreOptions.CommitMode"/>, except that
    /// <see cref="DynamoDbCommitMode.Auto"/> becomes <see cref="DynamoDbCommitMode.Native"/> or <see cref="DynamoDbCommitMode.Log"/>
    /// once the first write found out whether the endpoint implements <c>TransactWriteItems</c>.
    /// </summary>
    public DynamoDbCommitMode CommitMode => _log.Mode;

    internal DynamoDbKvStoreOptions Options => _options;

    /// <inheritdoc />
    protected override string? EndpointName => _table.Endpoint;

    /// <inheritdoc />
    protected override async Task<KvPair?> GetCoreAsync(string key, KvReadOptions options, CancellationToken cancellationToken)
    {
        var consistent = options.Consistent;

        // Log mode: entries up to the head are applied first (rolled forward if their writer stalled), and a key written
        // by a newer entry is only returned once that entry is applied everywhere, so a later read of another key of the
        // same transaction cannot see it unapplied. A native commit is one call: nothing to wait for.
        var head = consistent && _log.Mode != DynamoDbCommitMode.Native
            ? await _log.ReadHeadAsync(rollForward: true, cancellationToken).ConfigureAwait(false)
            : ulong.MaxValue;
        var item = await ReadItemAsync(key, consistent, cancellationToken).ConfigureAwait(false);
        if (item is not null && item.Version > head)
        {
            await _log.ReadHeadAsync(rollForward: true, cancellationToken).ConfigureAwait(false);
        }

        return item is not null && item.IsLiveAt(_log.NowMs) ? item.ToPair() : null;
    }

    /// <inheritdoc />
    protected override async Task<KvPair> PutCoreAsync(string key, ReadOnlyMemory<byte> value, KvWriteOptions options, CancellationToken cancellationToken)
    {
        var copy = value.ToArray();
        var pair = await _log.CommitAsync(
            key,
            _ => Task.FromResult(new WritePlan<KvPair>(
                [new PlannedWrite(key, LogOperation.Put(key, copy, ExpiryOf(options.Ttl)), KeyCondition.None)],
                revision => new KvPair(key, copy, revision),
                _ => throw new InvalidOperationException("An unconditional put cannot be refused."))),
            cancellationToken).ConfigureAwait(false);
        KeepAliveIfAsked(pair, options);
        return pair;
    }

    /// <inheritdoc />
    protected override Task<bool> DeleteCoreAsync(string key, CancellationToken cancellationToken)
    {
        // An expired key not swept yet is already gone: its delete is left to the sweepers, which log it for watchers.
        var plan = new WritePlan<bool>([new PlannedWrite(key, LogOperation.Delete(key), KeyCondition.Live)], _ => true, _ => false);
        return _log.CommitAsync(key, _ => Task.FromResult(plan), cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task<IReadOnlyList<KvPair>> ListCoreAsync(string prefix, KvReadOptions options, CancellationToken cancellationToken)
    {
        if (!options.Consistent)
        {
            return [.. (await ListItemsAsync(prefix, false, includeExpired: false, cancellationToken).ConfigureAwait(false)).Items.Select(i => i.ToPair())];
        }

        // A Query is not a snapshot: it can see some keys of a transaction committed while it reads and miss others (a log
        // commit applies item by item; DynamoDB's isolation for Query is read-committed per item). Every write leaves its
        // revision on the items it touches (tombstones included), so items no newer than the head read just before
        // prove that no later write was seen in part; otherwise read again. After a few attempts under a constant stream of
        // writes into the range, the last read is returned.
        for (var attempt = 1; ; attempt++)
        {
            var head = await _log.ReadHeadAsync(rollForward: true, cancellationToken).ConfigureAwait(false);
            var (items, newest) = await ListItemsAsync(prefix, true, includeExpired: false, cancellationToken).ConfigureAwait(false);
            if (newest <= head || attempt == ReadAttempts)
            {
                return [.. items.Select(i => i.ToPair())];
            }
        }
    }

    /// <inheritdoc />
    protected override async Task<int> DeleteTreeCoreAsync(string prefix, CancellationToken cancellationToken)
    {
        var keys = (await ListItemsAsync(prefix, true, includeExpired: true, cancellationToken).ConfigureAwait(false)).Items.Select(i => i.Key).ToList();
        if (prefix.Length > 0)
        {
            keys.Insert(0, prefix);
        }

        // One commit per chunk: a tree of any size is deleted, chunk by chunk, each chunk atomically. The keys are read
        // as of the head, so the deletes need no conditions: the commit of head+1 fails if anything changed meanwhile.
        var deleted = 0;
        foreach (var chunk in keys.Chunk(MaxCommitKeys))
        {
            deleted += await _log.CommitAsync(
                prefix,
                async ct =>
                {
                    var found = await _table.BatchGetAsync(chunk, true, ct).ConfigureAwait(false);
                    var now = _log.NowMs;
                    var present = found.Values.Where(i => !i.IsTombstone).ToList();
                    var live = present.Count(i => i.IsLiveAt(now));
                    return new WritePlan<int>(
                        [.. present.Select(i => new PlannedWrite(i.Key, LogOperation.Delete(i.Key), KeyCondition.None))],
                        _ => live,
                        _ => throw new InvalidOperationException("An unconditional delete cannot be refused."));
                },
                cancellationToken).ConfigureAwait(false);
        }

        return deleted;
    }

    /// <inheritdoc />
    protected override async Task<KvCasResult> AtomicPutCoreAsync(string key, ReadOnlyMemory<byte> value, ulong expectedIndex, KvWriteOptions options, CancellationToken cancellationToken)
    {
        var copy = value.ToArray();
        var result = await _log.CommitAsync(
            key,
            _ => Task.FromResult(new WritePlan<KvCasResult>(
                [new PlannedWrite(key, LogOperation.Put(key, copy, ExpiryOf(options.Ttl)), KeyCondition.IndexIs(expectedIndex))],
                revision => KvCasResult.Success(new KvPair(key, copy, revision)),
                item => CasFailure(item, expectedIndex))),
            cancellationToken).ConfigureAwait(false);
        if (result.Pair is { } pair)
        {
            KeepAliveIfAsked(pair, options);
        }

        return result;
    }

    /// <inheritdoc />
    protected override Task<KvCasResult> AtomicDeleteCoreAsync(string key, ulong expectedIndex, CancellationToken cancellationToken)
    {
        var plan = new WritePlan<KvCasResult>(
            [new PlannedWrite(key, LogOperation.Delete(key), KeyCondition.IndexIs(expectedIndex))],
            _ => KvCasResult.Success(null),
            item => CasFailure(item, expectedIndex));
        return _log.CommitAsync(key, _ => Task.FromResult(plan), cancellationToken);
    }

    /// <inheritdoc />
    protected override IKvLock CreateLockCore(string key, KvLockOptions options) => new DynamoDbKvLock(this, key, options);

    /// <summary>Closes the client; keep-alive keys and lock leases were abandoned, so they expire within their TTL.</summary>
    protected override ValueTask CloseCoreAsync()
    {
        _table.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Extends a key's expiry while it still holds <paramref name="version"/> and has not expired; false otherwise.</summary>
    internal async Task<bool> RenewAsync(string key, ulong version, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var now = _log.NowMs;
        var expiresAt = ExpiryOf(ttl)!.Value;
        var request = new UpdateItemRequest
        {
            TableName = _table.Name,
            Key = StoredItem.KeyOf(key),
            UpdateExpression = "SET #xt = :xt, #ttl = :ttl",
            ConditionExpression = "#ver = :ver AND attribute_not_exists(#del) AND #xt > :now",
            ExpressionAttributeNames = new() { ["#xt"] = ExpiresAt, ["#ttl"] = AwsTtl, ["#ver"] = VersionAttr, ["#del"] = Tombstone },
            ExpressionAttributeValues = new()
            {
                [":xt"] = new AttributeValue { N = Number(expiresAt) },
                [":ttl"] = new AttributeValue { N = Number((expiresAt / 1000) + 1 + (long)AwsTtlDelay.TotalSeconds) },
                [":ver"] = new AttributeValue { N = Number(version) },
                [":now"] = new AttributeValue { N = Number(now) },
            },
        };
        try
        {
            await _table.CallAsync((c, ct) => c.UpdateItemAsync(request, ct), key, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    // Why a compare-and-swap's condition failed, from the item that failed it (expired and deleted keys count as missing).
    private KvCasResult CasFailure(StoredItem? item, ulong expectedIndex)
    {
        var live = item is not null && item.IsLiveAt(_log.NowMs);
        return KvCasResult.Failure((live, expectedIndex) switch
        {
            (false, _) => KvCasOutcome.KeyNotFound,
            (true, 0) => KvCasOutcome.KeyExists,
            _ => KvCasOutcome.KeyModified,
        });
    }

    // Sub-millisecond remainders round up: a TTL is never shortened or dropped.
    private long? ExpiryOf(TimeSpan? ttl) => ttl is { } t ? _log.NowMs + (long)Math.Ceiling(t.TotalMilliseconds) : null;

    private async Task<StoredItem?> ReadLiveAsync(string key, CancellationToken cancellationToken)
    {
        var item = await ReadItemAsync(key, true, cancellationToken).ConfigureAwait(false);
        return item is not null && item.IsLiveAt(_log.NowMs) ? item : null;
    }

    private async Task<StoredItem?> ReadItemAsync(string key, bool consistent, CancellationToken cancellationToken)
    {
        var request = new GetItemRequest { TableName = _table.Name, Key = StoredItem.KeyOf(key), ConsistentRead = consistent };
        var response = await _table.CallAsync((c, ct) => c.GetItemAsync(request, ct), key, cancellationToken).ConfigureAwait(false);
        return StoredItem.From(response.Item);
    }

    // Descendants of a prefix, sorted by key: one Query of the data partition, paginated, and the newest revision seen on
    // any item, tombstones included (they are read, then dropped here, so a delete is as visible to that check as a put).
    // Expired keys are dropped here too, since "now" is the client's clock.
    private async Task<(List<StoredItem> Items, ulong Newest)> ListItemsAsync(string prefix, bool consistent, bool includeExpired, CancellationToken cancellationToken)
    {
        var descendants = KvKeys.DescendantPrefix(prefix);
        var items = _table.QueryAsync(
            () =>
            {
                var request = new QueryRequest
                {
                    KeyConditionExpression = descendants.Length == 0 ? "#pk = :pk" : "#pk = :pk AND begins_with(#sk, :prefix)",
                    ExpressionAttributeNames = new() { ["#pk"] = PartitionKey },
                    ExpressionAttributeValues = new() { [":pk"] = new AttributeValue { S = DataPartition } },
                    ConsistentRead = consistent,
                };
                if (descendants.Length > 0)
                {
                    request.ExpressionAttributeNames["#sk"] = SortKey;
                    request.ExpressionAttributeValues[":prefix"] = new AttributeValue { S = descendants };
                }

                return request;
            },
            prefix,
            cancellationToken);
        var now = _log.NowMs;
        var list = new List<StoredItem>();
        var newest = 0UL;
        await foreach (var item in items.ConfigureAwait(false))
        {
            var stored = StoredItem.From(item)!;
            if (!KvKeys.IsCanonical(stored.Key))
            {
                continue; // written natively under a key Valkeyrie cannot name: hidden everywhere (docs/operators.md)
            }

            newest = Math.Max(newest, stored.Version);
            if (!stored.IsTombstone && (includeExpired || stored.IsLiveAt(now)))
            {
                list.Add(stored);
            }
        }

        // DynamoDB orders sort keys by UTF-8 bytes; the contract orders by UTF-16 (ordinal).
        list.Sort((a, b) => KvKeys.Comparer.Compare(a.Key, b.Key));
        return (list, newest);
    }

    // Stops once overwritten, deleted or expired: nothing left to keep alive.
    private void KeepAliveIfAsked(KvPair pair, KvWriteOptions options) =>
        KeepAliveIfAsked(pair, options, (ttl, ct) => RenewAsync(pair.Key, pair.LastIndex, ttl, ct));
}
