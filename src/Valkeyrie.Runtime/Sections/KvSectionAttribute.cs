namespace Valkeyrie.Sections;

/// <summary>
/// Marks a <see langword="partial"/> class or record as a typed configuration section stored under
/// <see cref="Path"/>. The Valkeyrie source generator writes the rest of the type at compile time: key constants,
/// <c>ToKvPairs</c>/<c>FromKvPairs</c>, <c>Bind(IConfiguration)</c>, <c>LoadAsync</c>/<c>SaveAsync</c> and the
/// static members of <see cref="IKvSection{TSelf}"/>, all without reflection.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class KvSectionAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="path">The store prefix of the section, for example <c>app/db</c>; it follows the <see cref="KvKeys"/> rules.</param>
    public KvSectionAttribute(string path)
    {
        Path = path;
    }

    /// <summary>The store prefix of the section, for example <c>app/db</c> (configuration path <c>app:db</c>).</summary>
    public string Path { get; }

    /// <summary>How member names become key segments when a member has no <see cref="KvKeyAttribute"/>. Defaults to the member name.</summary>
    public KvNamingPolicy NamingPolicy { get; set; } = KvNamingPolicy.MemberName;
}
