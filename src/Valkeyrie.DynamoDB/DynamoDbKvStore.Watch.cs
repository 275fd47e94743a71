using System.Runtime.CompilerServices;
using Amazon.DynamoDBv2.Model;
using Valkeyrie.Backends;
using static Valkeyrie.DynamoDB.DynamoDbSchema;

namespace Valkeyrie.DynamoDB;

public sealed partial class DynamoDbKvStore
{
    // A head whose writer has not finished for this long is presumed dead and rolled forward by watchers.
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromSeconds(5);

    // Snapshots retry this often when writes keep landing between the two head reads that bracket them.
    private const int SnapshotAttempts = 5;

    /// <inheritdoc />
    protected override IKvChangeFeed ChangeFeed => this;

    /// <inheritdoc />
    /// <remarks>
    /// The read is bracketed by two head reads: when they agree, no write landed in between and the pairs are exactly the
    /// state at that revision. Under a constant stream of writes it settles for the first head after a few attempts; the
    /// deltas replayed from there are already contained in the snapshot, so applying them again changes nothing.
    /// </remarks>
    async Task<KvScopeSnapshot> IKvChangeFeed.ReadScopeAsync(KvScope scope, KvReadOptions options, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var before = await _log.ReadHeadAsync(rollForward: true, cancellationToken).ConfigureAwait(false);
            List<StoredItem> items;
            if (scope.IsTree)
            {
                items = (await ListItemsAsync(scope.Key, true, includeExpired: true, cancellationToken).ConfigureAwait(false)).Items;
            }
            else
            {
                items = await ReadItemAsync(scope.Key, true, cancellationToken).ConfigureAwait(false) is { IsTombstone: false } item ? [item] : [];
            }

            var after = await _log.ReadHeadAsync(rollForward: false, cancellationToken).ConfigureAwait(false);
            var now = _log.NowMs;
            var foreign = items.Where(i => !i.IsTombstone && (i.IsUnversioned || i.Version > after)).ToList();
            if (foreign.Count > 0 && attempt < SnapshotAttempts)
            {
                await AdoptAsync(foreign, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (before == after || attempt == SnapshotAttempts)
            {
                return new KvScopeSnapshot([.. items.Where(i => i.IsLiveAt(now)).Select(i => i.ToPair())], before);
            }
        }
    }

    // Items written with the DynamoDB API without a version Valkeyrie gave (no 'ver', or one above the log head) are
    // written again through the change log with their value: a fresh index, logged, so every watcher gets them and
    // compare-and-swap stays safe. Watches (snapshots and reconciliations) do it, so new and running instances agree.
    private async Task AdoptAsync(IEnumerable<StoredItem> items, CancellationToken cancellationToken)
    {
        foreach (var item in items)
        {
            await PutAsync(item.Key, item.Value, KvWriteOptions.Default, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Polls the change log every <see cref="DynamoDbKvStoreOptions.PollInterval"/> for entries after the last revision seen.
    /// Revisions are contiguous, so a missing one means the log was trimmed past this watcher: history is lost. While caught
    /// up (after each poll) it also sweeps expired keys in its scope (a logged delete each), so expiries reach every watcher.
    /// </remarks>
    async IAsyncEnumerable<KvTreeChange> IKvChangeFeed.ReadChangesAsync(
        KvScope scope, ulong afterRevision, KvReadOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var nextSweep = _time.GetTimestamp();
        var sweepEvery = _options.PollInterval > TimeSpan.FromSeconds(1) ? _options.PollInterval : TimeSpan.FromSeconds(1);
        while (true)
        {
            LogEntry? last = null;
            await foreach (var entry in _log.ReadAfterAsync(afterRevision, cancellationToken).ConfigureAwait(false))
            {
                if (entry.Revision != afterRevision + 1)
                {
                    throw new KvHistoryLostException(
                        $"dynamodb at {_table.Endpoint}: change-log entries after revision {afterRevision} were trimmed (log retention {_options.LogRetention}); the watch restarts from a snapshot.");
                }

                afterRevision = entry.Revision;
                last = entry;
                yield return KvTreeChange.FromEvents([.. entry.Operations.Where(o => scope.Contains(o.Key)).Select(o => o.ToEvent(entry.Revision))], entry.Revision);
            }

            if (last is { IsDone: false } && _log.NowMs - last.AtMs > AbandonedAfter.TotalMilliseconds)
            {
                await _log.RollForwardAsync(last, cancellationToken).ConfigureAwait(false);
            }

            if (_time.GetTimestamp() >= nextSweep)
            {
                await SweepExpiredAsync(scope, cancellationToken).ConfigureAwait(false);
                nextSweep = _time.GetTimestamp() + (long)(sweepEvery.TotalSeconds * _time.TimestampFrequency);
            }

            await Task.Delay(_options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    // Finds keys of the scope whose expiry passed through the sparse expiry index (only keys with a TTL are in it, and
    // only expired ones are read) and deletes each with a logged delete, unless it was renewed or rewritten meanwhile.
    private async Task SweepExpiredAsync(KvScope scope, CancellationToken cancellationToken)
    {
        var now = _log.NowMs;
        var candidates = _table.QueryAsync(
            () =>
            {
                var request = new QueryRequest
                {
                    IndexName = ExpiryIndex,
                    KeyConditionExpression = "#xp = :xp AND #xt <= :now",
                    ExpressionAttributeNames = new() { ["#xp"] = ExpiryPartition, ["#xt"] = ExpiresAt },
                    ExpressionAttributeValues = new()
                    {
                        [":xp"] = new AttributeValue { S = ExpiryPartitionValue },
                        [":now"] = new AttributeValue { N = Number(now) },
                    },
                };
                if (scope.Key.Length > 0)
                {
                    request.FilterExpression = scope.IsTree ? "begins_with(#sk, :key)" : "#sk = :key";
                    request.ExpressionAttributeNames["#sk"] = SortKey;
                    request.ExpressionAttributeValues[":key"] = new AttributeValue { S = scope.IsTree ? KvKeys.DescendantPrefix(scope.Key) : scope.Key };
                }

                return request;
            },
            scope.Key,
            cancellationToken);
        var expired = new List<string>();
        await foreach (var item in candidates.ConfigureAwait(false))
        {
            var key = item[SortKey].S;
            if (scope.Contains(key))
            {
                expired.Add(key);
            }
        }

        // Conditional on the key still being expired (it may have been renewed or rewritten since the index was read).
        foreach (var key in expired)
        {
            var plan = new WritePlan<bool>([new PlannedWrite(key, LogOperation.Delete(key), KeyCondition.Expired)], _ => true, _ => false);
            await _log.CommitAsync(key, _ => Task.FromResult(plan), cancellationToken).ConfigureAwait(false);
        }
    }
}
