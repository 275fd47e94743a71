namespace Valkeyrie.DynamoDB;

public sealed partial class DynamoDbKvStore
{
    /// <inheritdoc />
    /// <remarks>
    /// The checks are evaluated against the data as of the log head and the writes are committed as one log entry for the
    /// next revision, so either all of them happen or none. At most <see cref="MaxTransactionOperations"/> operations and
    /// about 350 KB of keys and values; larger transactions are rejected before anything is sent.
    /// </remarks>
    public Task<bool> CommitAsync(KvTransaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ThrowIfDisposed();
        var operations = transaction.Operations;
        if (operations.Count > MaxTransactionOperations)
        {
            throw new KvLimitExceededException("dynamodb", _table.Endpoint, null,
                $"A transaction may hold at most {MaxTransactionOperations} operations (this one has {operations.Count}); nothing was written. Split it into smaller transactions.");
        }

        var size = operations.Sum(o => System.Text.Encoding.UTF8.GetByteCount(o.Key) + o.Value.Length + 32);
        if (size > DynamoDbChangeLog.MaxEntryBytes)
        {
            throw new KvLimitExceededException("dynamodb", _table.Endpoint, null,
                $"A transaction may carry at most {DynamoDbChangeLog.MaxEntryBytes / 1024} KB of keys and values (this one has about {size / 1024} KB); nothing was written. Split it or store smaller values.");
        }

        // Several operations on one key collapse into its checks and its last write, in order.
        var checks = operations.Where(o => o.Kind == KvTransactionOperationKind.CheckIndex).ToList();
        var writes = new Dictionary<string, KvTransactionOperation>(StringComparer.Ordinal);
        foreach (var operation in operations.Where(o => o.Kind != KvTransactionOperationKind.CheckIndex))
        {
            writes.Remove(operation.Key);
            writes[operation.Key] = operation;
        }

        var keys = checks.Select(c => c.Key).Concat(writes.Keys).Distinct(StringComparer.Ordinal).ToList();
        return _log.CommitAsync(
            null,
            async ct =>
            {
                var found = keys.Count == 0 ? [] : await _table.BatchGetAsync(keys, true, ct).ConfigureAwait(false);
                var now = _log.NowMs;
                foreach (var check in checks)
                {
                    var current = found.GetValueOrDefault(check.Key) is { } item && item.IsLiveAt(now) ? item.Version : 0;
                    if (current != check.Index)
                    {
                        return new WritePlan<bool>([], _ => false);
                    }
                }

                var planned = new List<LogOperation>();
                foreach (var write in writes.Values)
                {
                    if (write.Kind == KvTransactionOperationKind.Put)
                    {
                        planned.Add(LogOperation.Put(write.Key, write.Value, ExpiryOf(write.Options?.Ttl)));
                    }
                    else if (found.GetValueOrDefault(write.Key) is { IsTombstone: false })
                    {
                        planned.Add(LogOperation.Delete(write.Key));
                    }
                }

                return new WritePlan<bool>(planned, _ => true);
            },
            cancellationToken);
    }
}
