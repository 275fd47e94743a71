namespace Valkeyrie.Redis;

/// <summary>
/// Where things live in Redis. A user key <c>a/b/c</c> is the Redis hash <c>a/b/c</c> with fields <c>value</c> and
/// <c>index</c>; Valkeyrie's own records sit under the reserved <c>_valkeyrie/</c> root, which user keys can never use.
/// </summary>
internal static class RedisLayout
{
    /// <summary>The global revision counter (a string holding an integer), advanced once per write.</summary>
    public const string Revision = "_valkeyrie/revision";

    /// <summary>A sorted set of every user key, all with score 0, so prefix listing is a lexical range.</summary>
    public const string Keys = "_valkeyrie/keys";

    /// <summary>A sorted set of keys with a TTL, scored by their expiry time in Unix milliseconds.</summary>
    public const string Expiries = "_valkeyrie/expiries";

    /// <summary>The change log: a stream with one batch per revision, entry ids <c>revision-N</c>.</summary>
    public const string Log = "_valkeyrie/log";

    /// <summary>The pub/sub channel every write publishes its revision on.</summary>
    public const string Channel = "_valkeyrie/changes";

    /// <summary>The lexical range of the descendants of a canonical prefix, for ZRANGEBYLEX.</summary>
    /// <param name="prefix">A canonical prefix; empty for every key.</param>
    public static (string Min, string Max) DescendantRange(string prefix) =>
        prefix.Length == 0 ? ("-", "+") : ("[" + prefix + "/", "(" + prefix + "0"); // '0' sorts right after '/'
}
