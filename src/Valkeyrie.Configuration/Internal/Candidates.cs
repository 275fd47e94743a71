namespace Valkeyrie.Configuration.Internal;

/// <summary>
/// The candidates for one configuration key, stored as one <see cref="Contribution"/> (nearly always) or as an array
/// of them best first, so the common case costs no array.
/// </summary>
internal static class Candidates
{
    public static Contribution Best(object candidates) => candidates as Contribution ?? ((Contribution[])candidates)[0];

    /// <summary>Adds <paramref name="contribution"/> in best-first order (after equals, as a later arrival).</summary>
    public static object Add(object? candidates, Contribution contribution)
    {
        switch (candidates)
        {
            case null:
                return contribution;
            case Contribution single:
                return Contribution.CompareBestFirst(single, contribution) <= 0 ? [single, contribution] : new[] { contribution, single };
            default:
                var array = (Contribution[])candidates;
                var position = 0;
                while (position < array.Length && Contribution.CompareBestFirst(array[position], contribution) <= 0)
                {
                    position++;
                }

                return MapNode<string, object>.Insert(array, position, contribution);
        }
    }

    /// <summary>
    /// Removes the contributions of <paramref name="layer"/> (only those of <paramref name="storeKey"/> unless it is null):
    /// <see langword="null"/> when none is left, <paramref name="candidates"/> itself when none matched.
    /// </summary>
    public static object? Remove(object candidates, int layer, string? storeKey)
    {
        if (candidates is Contribution single)
        {
            return Matches(single, layer, storeKey) ? null : single;
        }

        var array = (Contribution[])candidates;
        var remaining = Array.FindAll(array, c => !Matches(c, layer, storeKey));
        return remaining.Length switch
        {
            _ when remaining.Length == array.Length => candidates,
            0 => null,
            1 => remaining[0],
            _ => remaining,
        };
    }

    private static bool Matches(Contribution contribution, int layer, string? storeKey) =>
        contribution.Layer == layer && (storeKey is null || contribution.StoreKey == storeKey);
}
