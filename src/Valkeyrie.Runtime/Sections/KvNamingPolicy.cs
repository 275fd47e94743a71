namespace Valkeyrie.Sections;

/// <summary>How a section's member names become key segments (a <see cref="KvKeyAttribute"/> always wins).</summary>
public enum KvNamingPolicy
{
    /// <summary>The member name as written, for example <c>ConnectTimeout</c>: what ConfigurationBinder matches.</summary>
    MemberName,

    /// <summary>camelCase, for example <c>connectTimeout</c>.</summary>
    CamelCase,

    /// <summary>kebab-case, for example <c>connect-timeout</c>.</summary>
    KebabCase,

    /// <summary>snake_case, for example <c>connect_timeout</c>.</summary>
    SnakeCase,
}
