namespace Valkeyrie;

/// <summary>
/// What one backend stores at most, declared once per backend and enforced by every store before anything is sent:
/// a value or transaction over a limit throws <see cref="KvLimitExceededException"/> ("this value is N bytes; consul
/// stores at most M; nothing was written"). <c>memory://?limits=consul</c> (or any other backend name) makes the
/// in-memory store apply a backend's limits, and <c>?limits=portable</c> the smallest of all, so an application's
/// own tests catch what production would reject. The measured limits are in docs/store-contract.md.
/// </summary>
public sealed record KvStoreLimits
{
    /// <summary>The backend these limits are for, as named in messages (<c>consul</c>, <c>etcd</c>, …).</summary>
    public required string Backend { get; init; }

    /// <summary>The largest value a write, a transaction's put or a lock may carry, in bytes.</summary>
    public int MaxValueBytes { get; init; } = int.MaxValue;

    /// <summary>The most operations (checks, puts and deletes) one transaction may hold.</summary>
    public int MaxTransactionOperations { get; init; } = int.MaxValue;

    /// <summary>The longest key, in UTF-8 bytes; the same on every backend (<see cref="KvKeys.MaxKeyBytes"/>).</summary>
    public int MaxKeyBytes { get; init; } = KvKeys.MaxKeyBytes;

    /// <summary>The shortest TTL the backend keeps; a shorter one is rounded up to it, never dropped.</summary>
    public TimeSpan MinimumTtl { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>No limits but the key rules: the in-memory store's default.</summary>
    public static KvStoreLimits Unlimited { get; } = new() { Backend = "memory", MinimumTtl = TimeSpan.Zero };

    /// <summary>Consul: 64 transaction operations, a put taking two; values travel base64-encoded in a 512 KiB request.</summary>
    public static KvStoreLimits Consul { get; } = new()
    {
        Backend = "consul", MaxValueBytes = 320 * 1024, MaxTransactionOperations = 32, MinimumTtl = TimeSpan.FromSeconds(10),
    };

    /// <summary>etcd with its default <c>--max-txn-ops</c> (128) and <c>--max-request-bytes</c> (1.5 MiB); leases count whole seconds.</summary>
    public static KvStoreLimits Etcd { get; } = new()
    {
        Backend = "etcd", MaxValueBytes = 1024 * 1024, MaxTransactionOperations = 128, MinimumTtl = TimeSpan.FromSeconds(1),
    };

    /// <summary>Redis: every value is kept twice (the key and its change-log entry), so values are bounded well below Redis's own 512 MB.</summary>
    public static KvStoreLimits Redis { get; } = new() { Backend = "redis", MaxValueBytes = 4 * 1024 * 1024, MaxTransactionOperations = 1000 };

    /// <summary>ZooKeeper: a write carries the value twice (node and change-log entry) in one request under <c>jute.maxbuffer</c> (1 MiB).</summary>
    public static KvStoreLimits ZooKeeper { get; } = new() { Backend = "zookeeper", MaxValueBytes = 500 * 1024, MaxTransactionOperations = 500 };

    /// <summary>DynamoDB: a 400 KB item, 100 items per <c>TransactWriteItems</c> of which one is the change-log entry.</summary>
    public static KvStoreLimits DynamoDB { get; } = new() { Backend = "dynamodb", MaxValueBytes = 320 * 1024, MaxTransactionOperations = 99 };

    /// <summary>LiteDB: every value is also kept in the change log, in one file.</summary>
    public static KvStoreLimits LiteDB { get; } = new() { Backend = "litedb", MaxValueBytes = 1024 * 1024, MaxTransactionOperations = 1000 };

    /// <summary>The smallest limits of all backends: what a program can write anywhere.</summary>
    public static KvStoreLimits Portable { get; } = Smallest("portable", [Consul, Etcd, Redis, ZooKeeper, DynamoDB, LiteDB]);

    /// <summary>
    /// The limits named by <paramref name="name"/> (case-insensitive): <c>portable</c>, <c>consul</c>, <c>etcd</c>,
    /// <c>redis</c>, <c>zookeeper</c>, <c>dynamodb</c>, <c>litedb</c> or <c>none</c>.
    /// </summary>
    /// <param name="name">The name, as in <c>memory://?limits=consul</c>.</param>
    /// <exception cref="KvConfigurationException">The name is not one of those.</exception>
    public static KvStoreLimits Named(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToLowerInvariant() switch
        {
            "portable" => Portable,
            "consul" => Consul,
            "etcd" => Etcd,
            "redis" => Redis,
            "zookeeper" => ZooKeeper,
            "dynamodb" => DynamoDB,
            "litedb" => LiteDB,
            "none" or "" => Unlimited,
            _ => throw new KvConfigurationException(
                $"Unknown limits '{name}': use portable, consul, etcd, redis, zookeeper, dynamodb, litedb or none (as in memory://?limits=portable)."),
        };
    }

    /// <summary>
    /// Throws <see cref="KvLimitExceededException"/> when <paramref name="value"/> is over <see cref="MaxValueBytes"/>.
    /// </summary>
    /// <param name="value">The value about to be written.</param>
    /// <param name="key">The key it is for, named in the message.</param>
    /// <param name="endpoint">The endpoint, named in the message.</param>
    public void CheckValue(ReadOnlyMemory<byte> value, string? key, string? endpoint)
    {
        if (value.Length > MaxValueBytes)
        {
            throw new KvLimitExceededException(Backend, endpoint, key,
                $"this value is {value.Length} bytes; {Backend} stores at most {MaxValueBytes}; nothing was written. Store smaller values (split them over several keys).");
        }
    }

    /// <summary>
    /// Throws <see cref="KvLimitExceededException"/> when <paramref name="transaction"/> holds more than
    /// <see cref="MaxTransactionOperations"/> operations or a value over <see cref="MaxValueBytes"/>.
    /// </summary>
    /// <param name="transaction">The transaction about to be committed.</param>
    /// <param name="endpoint">The endpoint, named in the message.</param>
    public void CheckTransaction(KvTransaction transaction, string? endpoint)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var operations = transaction.Operations;
        if (operations.Count > MaxTransactionOperations)
        {
            throw new KvLimitExceededException(Backend, endpoint, null,
                $"this transaction is {operations.Count} operations; {Backend} applies at most {MaxTransactionOperations}; nothing was written. Split it into smaller transactions.");
        }

        foreach (var operation in operations)
        {
            if (operation.Kind == KvTransactionOperationKind.Put)
            {
                CheckValue(operation.Value, operation.Key, endpoint);
            }
        }
    }

    /// <summary>Rounds a TTL up to <see cref="MinimumTtl"/>.</summary>
    /// <param name="ttl">The TTL asked for, or null for none.</param>
    public TimeSpan? Floor(TimeSpan? ttl) => ttl is { } t && t < MinimumTtl ? MinimumTtl : ttl;

    private static KvStoreLimits Smallest(string name, KvStoreLimits[] all) => new()
    {
        Backend = name,
        MaxValueBytes = all.Min(l => l.MaxValueBytes),
        MaxTransactionOperations = all.Min(l => l.MaxTransactionOperations),
        MaxKeyBytes = all.Min(l => l.MaxKeyBytes),
        MinimumTtl = all.Max(l => l.MinimumTtl),
    };
}
