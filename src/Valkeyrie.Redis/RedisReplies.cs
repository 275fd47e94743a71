using System.Globalization;
using StackExchange.Redis;

namespace Valkeyrie.Redis;

/// <summary>Decodes the replies of <see cref="RedisScripts"/>.</summary>
internal static class RedisReplies
{
    /// <summary>Parses a revision or index sent as a decimal string (or integer).</summary>
    public static ulong Revision(RedisResult result) => ulong.Parse((string)result!, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>Decodes <c>{ revision, key, value, index, … }</c> into pairs sorted by key (ordinal, as the contract says).</summary>
    public static (IReadOnlyList<KvPair> Pairs, ulong Revision) Pairs(RedisResult result)
    {
        var items = (RedisResult[])result!;
        var pairs = new List<KvPair>((items.Length - 1) / 3);
        for (var i = 1; i + 2 < items.Length; i += 3)
        {
            pairs.Add(new KvPair((string)items[i]!, (byte[])items[i + 1]! ?? [], Revision(items[i + 2])));
        }

        pairs.Sort((a, b) => KvKeys.Comparer.Compare(a.Key, b.Key));
        return (pairs, Revision(items[0]));
    }

    /// <summary>
    /// Decodes change-log entries into one batch per revision, keeping only the events in <paramref name="scope"/>.
    /// Each entry is <c>{ id, { kind, key, 'v', value, … } }</c> with id <c>revision-N</c>; kind is <c>p</c> (put),
    /// <c>d</c> (delete) or <c>n</c> (nothing: a transaction whose deletes found no key).
    /// </summary>
    public static List<KvTreeChange> Batches(RedisResult[] entries, Backends.KvScope scope)
    {
        var batches = new List<KvTreeChange>();
        var events = new List<KvEvent>();
        ulong current = 0;
        foreach (var entry in entries)
        {
            var parts = (RedisResult[])entry!;
            var id = (string)parts[0]!;
            var revision = ulong.Parse(id.AsSpan(0, id.IndexOf('-', StringComparison.Ordinal)), NumberStyles.None, CultureInfo.InvariantCulture);
            if (revision != current && current != 0)
            {
                batches.Add(KvTreeChange.FromEvents(events, current));
                events = [];
            }

            current = revision;
            var fields = (RedisResult[])parts[1]!;
            for (var i = 0; i + 3 < fields.Length; i += 4)
            {
                var kind = (string)fields[i]!;
                var key = (string)fields[i + 1]!;
                if (kind == "n" || !scope.Contains(key))
                {
                    continue;
                }

                events.Add(kind == "p" ? KvEvent.Put(new KvPair(key, (byte[])fields[i + 3]! ?? [], revision)) : KvEvent.Delete(key, revision));
            }
        }

        if (current != 0)
        {
            batches.Add(KvTreeChange.FromEvents(events, current));
        }

        return batches;
    }
}
