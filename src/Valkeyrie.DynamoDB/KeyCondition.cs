using Amazon.DynamoDBv2.Model;
using static Valkeyrie.DynamoDB.DynamoDbSchema;

namespace Valkeyrie.DynamoDB;

/// <summary>What a key's current state must be for a write to happen.</summary>
internal enum KeyConditionKind
{
    /// <summary>Anything.</summary>
    None,

    /// <summary>No live key: missing, a tombstone, or expired (create-only and "check absent").</summary>
    Absent,

    /// <summary>A live key with the given index (compare-and-swap and "check index").</summary>
    Index,

    /// <summary>A live key, whatever its index (a plain delete).</summary>
    Live,

    /// <summary>A key that expired but is still stored (the sweeper's delete).</summary>
    Expired,
}

/// <summary>
/// A condition on one key, evaluated either by the client on a consistent read (change-log commits) or by DynamoDB as the
/// key's <c>ConditionExpression</c> inside <c>TransactWriteItems</c> (native commits). Both forms must agree exactly; expiry
/// compares with the client's clock in both.
/// </summary>
internal readonly record struct KeyCondition(KeyConditionKind Kind, ulong Index)
{
    public static KeyCondition None => default;

    public static KeyCondition Live => new(KeyConditionKind.Live, 0);

    public static KeyCondition Expired => new(KeyConditionKind.Expired, 0);

    /// <summary>The condition of a compare-and-swap or a transaction check: index 0 means absent.</summary>
    public static KeyCondition IndexIs(ulong index) => index == 0 ? new(KeyConditionKind.Absent, 0) : new(KeyConditionKind.Index, index);

    public bool HoldsFor(StoredItem? item, long nowMs) => Kind switch
    {
        KeyConditionKind.Absent => item is null || !item.IsLiveAt(nowMs),
        KeyConditionKind.Index => item is not null && item.IsLiveAt(nowMs) && item.Version == Index,
        KeyConditionKind.Live => item is not null && item.IsLiveAt(nowMs),
        KeyConditionKind.Expired => item is not null && item.IsExpiredAt(nowMs),
        _ => true,
    };

    /// <summary>Sets the condition on a transaction item's parts; DynamoDB rejects unused names and values, so only the used ones are added.</summary>
    public void Express(long nowMs, Action<string> setExpression, Dictionary<string, string> names, Dictionary<string, AttributeValue> values)
    {
        const string Live = "attribute_exists(#sk) AND attribute_not_exists(#del) AND (attribute_not_exists(#xt) OR #xt > :now)";
        var (expression, usesVersion) = Kind switch
        {
            KeyConditionKind.Absent => ("attribute_not_exists(#sk) OR attribute_exists(#del) OR #xt <= :now", false),
            KeyConditionKind.Index => (Live + " AND #ver = :ver", true),
            KeyConditionKind.Live => (Live, false),
            KeyConditionKind.Expired => ("attribute_exists(#sk) AND attribute_not_exists(#del) AND #xt <= :now", false),
            _ => throw new InvalidOperationException("A key without a condition has no condition expression."),
        };
        setExpression(expression);
        names["#sk"] = SortKey;
        names["#del"] = Tombstone;
        names["#xt"] = ExpiresAt;
        values[":now"] = new AttributeValue { N = Number(nowMs) };
        if (usesVersion)
        {
            names["#ver"] = VersionAttr;
            values[":ver"] = new AttributeValue { N = Number(Index) };
        }
    }
}
