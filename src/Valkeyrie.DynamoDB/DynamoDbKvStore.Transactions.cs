namespace Valkeyrie.DynamoDB;

public sealed partial class DynamoDbKvStore
{
    /// <inheritdoc />
    /// <remarks>
    /// The transaction is one commit: one <c>TransactWriteItems</c> call (the change-log entry plus one item per key, checks
    /// as conditions) in native mode, or one log entry in log mode, so either all of it happens or none. It may touch at most
    /// <see cref="KvStoreLimits.DynamoDB"/>'s operations and carry about 350 KB of keys and values; larger transactions
    /// are rejected before anything is sent.
    /// </remarks>
    protected override Task<bool> CommitCoreAsync(KvTransaction transaction, CancellationToken cancellationToken)
    {
        var operations = transaction.Operations;

        // Per key: the last write wins, and every check of the key must hold (two different expected indexes never can).
        var writes = new Dictionary<string, KvTransactionOperation>(StringComparer.Ordinal);
        var checks = new Dictionary<string, ulong>(StringComparer.Ordinal);
        var contradictory = false;
        foreach (var operation in operations)
        {
            if (operation.Kind == KvTransactionOperationKind.CheckIndex)
            {
                contradictory |= checks.TryGetValue(operation.Key, out var index) && index != operation.Index;
                checks[operation.Key] = operation.Index;
            }
            else
            {
                writes[operation.Key] = operation;
            }
        }

        // At most MaxCommitKeys keys: the base allowed no more operations than that.
        List<string> keys = [.. checks.Keys.Concat(writes.Keys).Distinct(StringComparer.Ordinal)];

        var size = operations.Sum(o => System.Text.Encoding.UTF8.GetByteCount(o.Key) + o.Value.Length + 32);
        if (size > DynamoDbChangeLog.MaxEntryBytes)
        {
            throw new KvLimitExceededException("dynamodb", _table.Endpoint, null,
                $"A transaction may carry at most {DynamoDbChangeLog.MaxEntryBytes / 1024} KB of keys and values (this one has about {size / 1024} KB); nothing was written. Split it or store smaller values.");
        }

        if (contradictory)
        {
            return Task.FromResult(false);
        }

        // Deletes of keys that are not there are dropped (a watcher must not see a key it never saw disappear), so their
        // keys are read as of the head; the commit of head+1 fails if that changed in between.
        List<string> deleted = [.. writes.Values.Where(w => w.Kind == KvTransactionOperationKind.Delete).Select(w => w.Key)];
        return _log.CommitAsync(
            null,
            async ct =>
            {
                var found = deleted.Count == 0 ? [] : await _table.BatchGetAsync(deleted, true, ct).ConfigureAwait(false);
                var planned = new List<PlannedWrite>(keys.Count);
                foreach (var key in keys)
                {
                    var condition = checks.TryGetValue(key, out var index) ? KeyCondition.IndexIs(index) : KeyCondition.None;
                    var operation = writes.GetValueOrDefault(key) switch
                    {
                        { Kind: KvTransactionOperationKind.Put } put => LogOperation.Put(key, put.Value, ExpiryOf(put.Options?.Ttl)),
                        { Kind: KvTransactionOperationKind.Delete } when found.GetValueOrDefault(key) is { IsTombstone: false } => LogOperation.Delete(key),
                        _ => null,
                    };
                    if (operation is not null || condition.Kind != KeyConditionKind.None)
                    {
                        planned.Add(new PlannedWrite(key, operation, condition));
                    }
                }

                return new WritePlan<bool>(planned, _ => true, _ => false);
            },
            cancellationToken);
    }
}
