namespace Valkeyrie.Sections;

/// <summary>A section loaded from a store together with the version to save it against.</summary>
/// <typeparam name="T">The section type.</typeparam>
/// <param name="Value">The section.</param>
/// <param name="Version">The keys and indexes read.</param>
public sealed record KvLoadedSection<T>(T Value, KvSectionVersion Version)
    where T : class, IKvSection<T>;
