using Amazon.DynamoDBv2.Model;
using static Valkeyrie.DynamoDB.DynamoDbSchema;

namespace Valkeyrie.DynamoDB;

/// <summary>A data item as stored: a live key, an expired one not yet swept, or the tombstone of a deleted key.</summary>
/// <param name="Key">The canonical key.</param>
/// <param name="Value">The value (empty for tombstones).</param>
/// <param name="Version">The revision of the write that produced the item: the key's index.</param>
/// <param name="ExpiresAtMs">Unix milliseconds after which the key is gone, or null.</param>
/// <param name="IsTombstone">Whether this marks a delete (kept until its log entry is trimmed, see <see cref="DynamoDbChangeLog"/>).</param>
internal sealed record StoredItem(string Key, byte[] Value, ulong Version, long? ExpiresAtMs, bool IsTombstone)
{
    /// <summary>
    /// Whether the item has no usable <c>ver</c> (written with the DynamoDB API, not by Valkeyrie): it is invisible to
    /// reads until a watch adopts it with a fresh index (docs/operators.md).
    /// </summary>
    public bool IsUnversioned => Version == 0;

    /// <summary>Whether the key exists for readers at <paramref name="nowMs"/>.</summary>
    public bool IsLiveAt(long nowMs) => !IsTombstone && !IsUnversioned && (ExpiresAtMs is not { } at || at > nowMs);

    /// <summary>Whether the item is a key that expired but is still physically present (it needs a logged delete).</summary>
    public bool IsExpiredAt(long nowMs) => !IsTombstone && ExpiresAtMs is { } at && at <= nowMs;

    public KvPair ToPair() => new(Key, Value, Version);

    public static StoredItem? From(Dictionary<string, AttributeValue>? item)
    {
        if (item is null || item.Count == 0 || !item.TryGetValue(SortKey, out var sk))
        {
            return null;
        }

        return new StoredItem(
            sk.S,
            ValueOf(item),
            item.TryGetValue(VersionAttr, out var ver) && ulong.TryParse(ver.N, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version) ? version : 0,
            item.TryGetValue(ExpiresAt, out var xt) && xt.N is { } n ? ParseLong(n) : null,
            item.TryGetValue(Tombstone, out var del) && del.BOOL == true);
    }

    /// <summary>
    /// The value attribute for <paramref name="value"/>: a String when it is UTF-8 text, so operators read and write it
    /// as text with the DynamoDB console or CLI, and a Binary otherwise. Both read back the same (see <see cref="ValueOf"/>).
    /// </summary>
    public static AttributeValue ValueAttribute(byte[] value) =>
        IsText(value) ? new AttributeValue { S = System.Text.Encoding.UTF8.GetString(value) } : new AttributeValue { B = new MemoryStream(value) };

    /// <summary>The bytes of the value attribute of an item or log operation, String (UTF-8) or Binary; empty when absent.</summary>
    public static byte[] ValueOf(Dictionary<string, AttributeValue> map) => map.TryGetValue(ValueAttr, out var value) switch
    {
        true when value.S is { } text => System.Text.Encoding.UTF8.GetBytes(text),
        true when value.B is { } bytes => bytes.ToArray(),
        _ => [],
    };

    private static bool IsText(byte[] value) => System.Text.Unicode.Utf8.IsValid(value);

    public static Dictionary<string, AttributeValue> KeyOf(string key) => new()
    {
        [PartitionKey] = new AttributeValue { S = DataPartition },
        [SortKey] = new AttributeValue { S = key },
    };
}

/// <summary>One write of a committed log entry: a put (with value and expiry) or a delete.</summary>
/// <param name="Key">The canonical key.</param>
/// <param name="IsDelete">Whether the key is deleted.</param>
/// <param name="Value">The value of a put.</param>
/// <param name="ExpiresAtMs">The expiry of a put, in Unix milliseconds, or null.</param>
internal sealed record LogOperation(string Key, bool IsDelete, byte[] Value, long? ExpiresAtMs)
{
    public static LogOperation Put(string key, ReadOnlyMemory<byte> value, long? expiresAtMs) => new(key, false, value.ToArray(), expiresAtMs);

    public static LogOperation Delete(string key) => new(key, true, [], null);

    /// <summary>Approximate stored size, to keep a log entry under DynamoDB's 400 KB item limit.</summary>
    public int ApproximateSize => System.Text.Encoding.UTF8.GetByteCount(Key) + Value.Length + 32;

    public KvEvent ToEvent(ulong revision) => IsDelete ? KvEvent.Delete(Key, revision) : KvEvent.Put(new KvPair(Key, Value, revision));

    public AttributeValue ToAttribute()
    {
        var map = new Dictionary<string, AttributeValue> { [OpKey] = new AttributeValue { S = Key } };
        if (IsDelete)
        {
            map[Tombstone] = new AttributeValue { BOOL = true };
        }
        else
        {
            if (Value.Length > 0)
            {
                map[ValueAttr] = StoredItem.ValueAttribute(Value);
            }

            if (ExpiresAtMs is { } at)
            {
                map[ExpiresAt] = new AttributeValue { N = Number(at) };
            }
        }

        return new AttributeValue { M = map };
    }

    public static LogOperation From(AttributeValue attribute)
    {
        var map = attribute.M;
        return new LogOperation(
            map[OpKey].S,
            map.TryGetValue(Tombstone, out var del) && del.BOOL == true,
            StoredItem.ValueOf(map),
            map.TryGetValue(ExpiresAt, out var xt) && xt.N is { } n ? ParseLong(n) : null);
    }

    /// <summary>The data item this operation leaves behind at <paramref name="revision"/>: the new value, or a tombstone.</summary>
    public Dictionary<string, AttributeValue> ToDataItem(ulong revision)
    {
        var item = StoredItem.KeyOf(Key);
        item[VersionAttr] = new AttributeValue { N = Number(revision) };
        if (IsDelete)
        {
            item[Tombstone] = new AttributeValue { BOOL = true };
            return item;
        }

        if (Value.Length > 0)
        {
            item[ValueAttr] = StoredItem.ValueAttribute(Value);
        }

        if (ExpiresAtMs is { } at)
        {
            item[ExpiresAt] = new AttributeValue { N = Number(at) };
            item[ExpiryPartition] = new AttributeValue { S = ExpiryPartitionValue };
            item[AwsTtl] = new AttributeValue { N = Number((at / 1000) + 1 + (long)AwsTtlDelay.TotalSeconds) };
        }

        return item;
    }
}

/// <summary>A committed change-log entry: every write of one call, under one revision.</summary>
/// <param name="Revision">The revision; entries are contiguous from 1.</param>
/// <param name="Operations">The writes.</param>
/// <param name="AtMs">When it was committed (Unix milliseconds), for trimming.</param>
/// <param name="IsDone">Whether its writes were applied to the data items.</param>
internal sealed record LogEntry(ulong Revision, IReadOnlyList<LogOperation> Operations, long AtMs, bool IsDone)
{
    public static LogEntry From(Dictionary<string, AttributeValue> item) => new(
        ParseRevision(item[SortKey].S),
        item.TryGetValue(DynamoDbSchema.Operations, out var ops) && ops.L is { } list ? [.. list.Select(LogOperation.From)] : [],
        item.TryGetValue(At, out var at) ? ParseLong(at.N) : 0,
        item.TryGetValue(Done, out var done) && done.BOOL == true);
}
