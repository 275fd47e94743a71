namespace Valkeyrie.Sections;

/// <summary>Excludes a member from a section: it is neither saved, loaded nor bound.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false, Inherited = true)]
public sealed class KvIgnoreAttribute : Attribute
{
}
