namespace Valkeyrie.Sections;

/// <summary>
/// The names written under one parent. Configuration keys are case-insensitive, so two dictionary keys differing
/// only in case would be saved as two keys and load back as one: saving them is an error before anything is written.
/// </summary>
internal sealed class KvSiblingNames
{
    private readonly Dictionary<string, string> _names = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How many names were added.</summary>
    public int Count => _names.Count;

    /// <summary>Records <paramref name="name"/>, failing when a sibling has the same name ignoring case.</summary>
    /// <param name="name">The segment or JSON property name.</param>
    /// <param name="parent">The parent's key, or a description of it, for the error message.</param>
    /// <exception cref="KvBindingException">A sibling differs from <paramref name="name"/> only in case.</exception>
    public void Add(string name, string parent)
    {
        if (_names.TryGetValue(name, out var other))
        {
            throw new KvBindingException(
                parent,
                "key",
                "names that differ other than in case",
                $"Cannot save '{parent}': the keys '{other}' and '{name}' differ only in case. Configuration keys are case-insensitive, "
                + "so they would load back as one entry; nothing was written. Rename one of them (or store the dictionary with [KvJson(typeof(context))]).");
        }

        _names.Add(name, name);
    }
}
