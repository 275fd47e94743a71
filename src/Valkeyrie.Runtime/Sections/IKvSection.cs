using Microsoft.Extensions.Configuration;

namespace Valkeyrie.Sections;

/// <summary>
/// A typed section written by the Valkeyrie source generator for a <see cref="KvSectionAttribute"/> class.
/// Its static members let generic code (such as <c>AddKvSection&lt;T&gt;()</c>) bind, load and save sections
/// without reflection.
/// </summary>
/// <typeparam name="TSelf">The section type itself.</typeparam>
public interface IKvSection<TSelf>
    where TSelf : class, IKvSection<TSelf>
{
    /// <summary>The store prefix of the section, for example <c>app/db</c>.</summary>
    static abstract string SectionPath { get; }

    /// <summary>The configuration path of the section, for example <c>app:db</c>.</summary>
    static abstract string ConfigurationPath { get; }

    /// <summary>
    /// Creates a section from a configuration section (for example <c>configuration.GetSection(ConfigurationPath)</c>).
    /// Members whose keys are absent keep their defaults; unknown keys are ignored.
    /// </summary>
    /// <param name="configuration">The configuration whose children are the section's members.</param>
    /// <exception cref="KvBindingException">A value cannot be converted to its member's type, or a required value is missing.</exception>
    static abstract TSelf Bind(IConfiguration configuration);

    /// <summary>Creates a section from store pairs with full keys (as returned by <see cref="IKvStore.ListAsync"/>); pairs outside the section are ignored.</summary>
    /// <param name="pairs">The pairs to read.</param>
    /// <exception cref="KvBindingException">A value cannot be converted to its member's type, or a required value is missing.</exception>
    static abstract TSelf FromKvPairs(IEnumerable<KvPair> pairs);

    /// <summary>
    /// The section as store pairs with full keys and UTF-8 text values, sorted by key. Their
    /// <see cref="KvPair.LastIndex"/> is 0 because they have not been written yet.
    /// </summary>
    IReadOnlyList<KvPair> ToKvPairs();
}
