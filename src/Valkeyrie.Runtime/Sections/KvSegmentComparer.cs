using System.Globalization;

namespace Valkeyrie.Sections;

/// <summary>
/// Orders sibling segments the way configuration does: integers numerically and before names, names ignoring case,
/// so that <c>List/10</c> comes after <c>List/9</c> and collections load in index order. Segments that configuration
/// keeps apart are never equal here: <c>7</c> and <c>007</c> are ordered ordinally after their equal values, so a
/// tree keyed by this comparer holds the same keys as the configuration provider (docs/store-contract.md).
/// </summary>
internal sealed class KvSegmentComparer : IComparer<string>
{
    public static KvSegmentComparer Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        var xIsInt = int.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out var xValue);
        var yIsInt = int.TryParse(y, NumberStyles.None, CultureInfo.InvariantCulture, out var yValue);
        return (xIsInt, yIsInt) switch
        {
            (true, true) => xValue != yValue ? xValue.CompareTo(yValue) : string.CompareOrdinal(x, y),
            (true, false) => -1,
            (false, true) => 1,
            _ => string.Compare(x, y, StringComparison.OrdinalIgnoreCase),
        };
    }
}
