namespace Valkeyrie.Sections;

/// <summary>
/// What a section looked like in the store when it was loaded: each key's index and value. Saving checks every
/// index (and that keys absent at load are still absent), so a concurrent writer turns the save into
/// <see cref="KvSaveResult.Conflict"/> instead of a half-merged section.
/// </summary>
public sealed class KvSectionVersion
{
    private readonly Dictionary<string, KvPair> _pairs;

    /// <summary>Captures the version of the pairs read for a section.</summary>
    /// <param name="pairs">The pairs as listed from the store (full keys with their indexes).</param>
    public KvSectionVersion(IEnumerable<KvPair> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        _pairs = new Dictionary<string, KvPair>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            _pairs[pair.Key] = pair;
        }
    }

    private KvSectionVersion()
    {
        _pairs = [];
        IsStale = true;
    }

    /// <summary>The index of each key read, by key.</summary>
    public IReadOnlyDictionary<string, ulong> Indexes => _pairs.ToDictionary(p => p.Key, p => p.Value.LastIndex, StringComparer.Ordinal);

    /// <summary>
    /// Whether the version is known to be out of date (the section changed again right after this instance saved it),
    /// so saving must report a conflict without writing.
    /// </summary>
    public bool IsStale { get; }

    internal static KvSectionVersion Stale { get; } = new();

    internal IReadOnlyDictionary<string, KvPair> Pairs => _pairs;
}
