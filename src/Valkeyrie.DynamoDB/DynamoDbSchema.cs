using System.Globalization;

namespace Valkeyrie.DynamoDB;

/// <summary>
/// The on-table layout (documented in docs/backends/dynamodb.md). One table, string partition key <c>pk</c> and string sort
/// key <c>sk</c>. User keys live in one partition (<c>kv</c>) with the canonical key as sort key, so every list and tree
/// read is a single Query with <c>begins_with</c>. The change log, which is also the commit log, lives in the partition
/// <c>_valkeyrie/log</c> with the zero-padded revision as sort key. Keys with a TTL carry <c>xp</c>/<c>xt</c>, which feed
/// the sparse global secondary index <c>expiry</c> that sweepers query for expired keys.
/// </summary>
internal static class DynamoDbSchema
{
    public const string PartitionKey = "pk";
    public const string SortKey = "sk";
    public const string DataPartition = "kv";
    public const string LogPartition = KvKeys.ReservedSegment + "/log";
    public const string ExpiryIndex = "expiry";

    // Data item attributes.
    public const string VersionAttr = "ver";
    public const string ValueAttr = "v";
    public const string Tombstone = "del";
    public const string ExpiresAt = "xt";
    public const string ExpiryPartition = "xp";
    public const string ExpiryPartitionValue = "x";
    public const string AwsTtl = "ttl";

    // Log item attributes; operations are maps with OpKey, Value, Tombstone and ExpiresAt.
    public const string At = "at";
    public const string Operations = "ops";
    public const string Done = "done";
    public const string CommitToken = "tok";
    public const string OpKey = "k";

    /// <summary>DynamoDB's own TTL removes expired items only this long after Valkeyrie considers them gone, so sweepers report them first.</summary>
    public static readonly TimeSpan AwsTtlDelay = TimeSpan.FromHours(1);

    /// <summary>The human description of the schema for error messages and docs.</summary>
    public const string Description =
        "partition key 'pk' (String) and sort key 'sk' (String), plus a global secondary index 'expiry' with partition key 'xp' (String) " +
        "and sort key 'xt' (Number) projecting keys only; optionally DynamoDB TTL enabled on attribute 'ttl'";

    /// <summary>The log sort key of a revision: zero-padded so string order is numeric order.</summary>
    public static string RevisionKey(ulong revision) => revision.ToString("D20", CultureInfo.InvariantCulture);

    public static ulong ParseRevision(string sortKey) => ulong.Parse(sortKey, NumberStyles.None, CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Number(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    public static long ParseLong(string value) => long.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture);

    public static ulong ParseULong(string value) => ulong.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture);
}
