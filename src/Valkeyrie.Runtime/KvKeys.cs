using System.Globalization;
using System.Text;

namespace Valkeyrie;

/// <summary>
/// The key rules shared by every backend. A canonical key is <c>a/b/c</c>: <c>/</c>-separated, non-empty
/// segments, no <c>.</c> or <c>..</c> segments, no control characters, at most <see cref="MaxKeyBytes"/> UTF-8 bytes,
/// and not under the reserved <see cref="ReservedSegment"/> root. One leading and one trailing <c>/</c> are trimmed.
/// </summary>
public static class KvKeys
{
    /// <summary>The longest key accepted, in UTF-8 bytes (fits DynamoDB's 1 KiB sort key with room for bookkeeping).</summary>
    public const int MaxKeyBytes = 512;

    /// <summary>The first segment reserved for backends' internal records (lock queues, counters, change logs).</summary>
    public const string ReservedSegment = "_valkeyrie";

    /// <summary>The separator between segments.</summary>
    public const char Separator = '/';

    /// <summary>The order of keys in lists and snapshots: ordinal.</summary>
    public static StringComparer Comparer => StringComparer.Ordinal;

    /// <summary>Validates and canonicalises a key, or throws <see cref="ArgumentException"/> naming the key and the rule.</summary>
    /// <param name="key">The key as given by the caller.</param>
    public static string Normalize(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var canonical = Trim(key);
        if (canonical.Length == 0)
        {
            throw Invalid(key, "a key must have at least one segment (use a prefix of \"\" only with List, DeleteTree and WatchTree)");
        }

        Validate(key, canonical);
        return canonical;
    }

    /// <summary>Validates and canonicalises a prefix; unlike a key it may be empty (the whole store).</summary>
    /// <param name="prefix">The prefix as given by the caller.</param>
    public static string NormalizePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var canonical = Trim(prefix);
        if (canonical.Length > 0)
        {
            Validate(prefix, canonical);
        }

        return canonical;
    }

    /// <summary>Whether <paramref name="key"/> is a strict descendant of the canonical <paramref name="prefix"/> (segment-aware).</summary>
    /// <param name="key">A canonical key.</param>
    /// <param name="prefix">A canonical prefix; empty matches every key.</param>
    public static bool IsDescendant(string key, string prefix) =>
        prefix.Length == 0
            ? key.Length > 0
            : key.Length > prefix.Length + 1 && key[prefix.Length] == Separator && key.StartsWith(prefix, StringComparison.Ordinal);

    /// <summary>The string every descendant of <paramref name="prefix"/> starts with: <c>prefix/</c>, or empty for the root.</summary>
    /// <param name="prefix">A canonical prefix.</param>
    public static string DescendantPrefix(string prefix) => prefix.Length == 0 ? string.Empty : prefix + Separator;

    /// <summary>
    /// Whether <paramref name="key"/>, as found in a store (possibly written by a native tool), is a canonical user key:
    /// valid, not reserved, and without a leading or trailing <c>/</c>. Backends hide every other native key, the same
    /// way for running and newly started instances.
    /// </summary>
    /// <param name="key">A key as stored.</param>
    public static bool IsCanonical(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0 || Trim(key).Length != key.Length)
        {
            return false;
        }

        try
        {
            Validate(key, key);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Whether a canonical key lies under the reserved internal root.</summary>
    /// <param name="key">A canonical key.</param>
    public static bool IsReserved(string key) =>
        key.StartsWith(ReservedSegment, StringComparison.Ordinal)
        && (key.Length == ReservedSegment.Length || key[ReservedSegment.Length] == Separator);

    private static string Trim(string key)
    {
        var start = key.StartsWith(Separator) ? 1 : 0;
        var end = key.Length > start && key.EndsWith(Separator) ? key.Length - 1 : key.Length;
        return key[start..end];
    }

    private static void Validate(string original, string canonical)
    {
        if (Encoding.UTF8.GetByteCount(canonical) > MaxKeyBytes)
        {
            throw Invalid(original, $"keys are limited to {MaxKeyBytes} UTF-8 bytes");
        }

        for (var i = 0; i < canonical.Length; i++)
        {
            var c = canonical[i];
            if (char.IsControl(c))
            {
                throw Invalid(original, $"keys cannot contain control characters (found U+{(int)c:X4})");
            }

            // A lone surrogate has no UTF-8 form: backends would store U+FFFD, so two different keys would collide.
            if (!Rune.TryGetRuneAt(canonical, i, out var rune))
            {
                throw Invalid(original, $"keys must be valid UTF-16 text (found a lone surrogate U+{(int)c:X4})");
            }

            if (!IsPrintable(rune))
            {
                throw Invalid(original, $"keys cannot contain invisible or non-printing characters such as format characters, non-ASCII spaces, line separators or private-use characters (found U+{rune.Value:X4})");
            }

            i += rune.Utf16SequenceLength - 1;
        }

        foreach (var segment in canonical.Split(Separator))
        {
            if (segment.Length == 0)
            {
                throw Invalid(original, "keys cannot contain empty segments ('//', or more than one leading or trailing '/')");
            }

            if (segment is "." or "..")
            {
                throw Invalid(original, "keys cannot contain '.' or '..' segments");
            }
        }

        if (IsReserved(canonical))
        {
            throw Invalid(original, $"the root segment '{ReservedSegment}' is reserved for Valkeyrie's internal records");
        }
    }

    // Consul's KV API refuses (400) what Go's unicode.IsPrint refuses, and invisible characters make keys that look equal
    // but are not: only letters, marks, numbers, punctuation, symbols and the ASCII space are accepted everywhere.
    private static bool IsPrintable(Rune rune) => rune.Value == ' ' || Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => false,
        UnicodeCategory.Format or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned => false,
        UnicodeCategory.Control or UnicodeCategory.Surrogate => false,
        _ => true,
    };

    private static ArgumentException Invalid(string key, string rule) =>
        new($"Invalid key '{Printable(key)}': {rule}.", nameof(key));

    // Never echo raw control, invisible or broken characters back into logs or terminals.
    private static string Printable(string key)
    {
        var shown = key.Length > 80 ? key[..80] : key;
        var builder = new StringBuilder(shown.Length);
        for (var i = 0; i < shown.Length; i++)
        {
            if (Rune.TryGetRuneAt(shown, i, out var rune) && IsPrintable(rune))
            {
                builder.Append(shown, i, rune.Utf16SequenceLength);
                i += rune.Utf16SequenceLength - 1;
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)shown[i]:X4}");
            }
        }

        return key.Length > 80 ? builder.Append('…').ToString() : builder.ToString();
    }
}
