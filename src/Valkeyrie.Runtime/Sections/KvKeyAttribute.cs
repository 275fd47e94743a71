namespace Valkeyrie.Sections;

/// <summary>Sets the key segment of a section member, overriding the section's <see cref="KvNamingPolicy"/>.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false, Inherited = true)]
public sealed class KvKeyAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="name">One key segment: not empty, without <c>/</c> or <c>:</c>, not <c>.</c> or <c>..</c>.</param>
    public KvKeyAttribute(string name)
    {
        Name = name;
    }

    /// <summary>The key segment used for the member.</summary>
    public string Name { get; }
}
