namespace Valkeyrie.Configuration.Internal;

/// <summary>
/// One candidate value for a configuration key. Several store keys can map to the same configuration key
/// (keys differing only in case, a JSON value expanded over an explicit child, the same key under two prefixes),
/// so every candidate is kept and the best one is shown; deleting the winner reveals the next one.
/// </summary>
/// <param name="Layer">The prefix's position in the source (later prefixes win), or <see cref="ConfigurationIndex.OverrideLayer"/>.</param>
/// <param name="Expanded">Whether the value came from expanding a JSON value (explicit keys win over expanded ones).</param>
/// <param name="StoreKey">The store key that produced the value (the ordinal-greater key wins a tie).</param>
/// <param name="Value">The configuration value.</param>
internal sealed record Contribution(int Layer, bool Expanded, string StoreKey, string? Value)
{
    /// <summary>Orders contributions best first.</summary>
    public static int CompareBestFirst(Contribution x, Contribution y)
    {
        var byLayer = y.Layer.CompareTo(x.Layer);
        if (byLayer != 0)
        {
            return byLayer;
        }

        var byExpansion = x.Expanded.CompareTo(y.Expanded);
        return byExpansion != 0 ? byExpansion : string.CompareOrdinal(y.StoreKey, x.StoreKey);
    }
}
