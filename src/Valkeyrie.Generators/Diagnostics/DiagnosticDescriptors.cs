using Microsoft.CodeAnalysis;

namespace Valkeyrie.Generators.Diagnostics;

/// <summary>Every diagnostic of the [KvSection] analyzer. Ids are stable; see docs/generator.md and AnalyzerReleases.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "Valkeyrie.Sections";

    public static readonly DiagnosticDescriptor SectionNotPartial = new(
        "VKV001",
        "Section type must be partial",
        "'{0}' must be declared partial so the generator can add the section members{1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The generator adds members to the [KvSection] type and to every type containing it, so all of them must be partial.");

    public static readonly DiagnosticDescriptor InvalidSectionPath = new(
        "VKV002",
        "Invalid section path",
        "The section path '{0}' is invalid: {1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A section path is a store key: '/'-separated non-empty segments, no '.' or '..', no ':' or control characters, at most 512 UTF-8 bytes, not under '_valkeyrie'.");

    public static readonly DiagnosticDescriptor UnsupportedMemberType = new(
        "VKV003",
        "Unsupported member type",
        "Member '{0}' has type '{1}', which cannot be stored as {2}: {3}; {4}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Section members must be supported scalars, nested classes or records, collections or string-keyed dictionaries of them; other types need [KvJson(typeof(MyContext))].");

    public static readonly DiagnosticDescriptor DuplicateKey = new(
        "VKV004",
        "Two members map to the same key",
        "Member '{0}' maps to key '{1}', which member '{2}' already uses (configuration keys ignore case); give one of them a different [KvKey]",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Each member of a section or nested type needs its own key segment.");

    public static readonly DiagnosticDescriptor MemberCannotBeSet = new(
        "VKV005",
        "Member cannot be set",
        "Member '{0}' cannot be set (no accessible setter or init accessor and no matching constructor parameter), so it is neither saved nor loaded; add a setter or mark it [KvIgnore]",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Members the generated code cannot assign are skipped; say so explicitly with [KvIgnore].");

    public static readonly DiagnosticDescriptor DuplicateSectionPath = new(
        "VKV006",
        "Section path used twice",
        "The section path '{0}' is also used by '{1}'; each section needs its own path",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Two sections on one path would overwrite each other's keys.",
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor AttributeOnIgnoredMember = new(
        "VKV007",
        "Attribute has no effect",
        "[{0}] on '{1}' has no effect because the generator ignores this member: {2}",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Only public instance properties of a section or nested type are stored; [KvKey] and [KvJson] elsewhere do nothing.");

    public static readonly DiagnosticDescriptor InvalidKeyName = new(
        "VKV008",
        "Invalid key name",
        "The key '{0}' of member '{1}' is invalid: {2}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A [KvKey] or [ConfigurationKeyName] name is one key segment: not empty, without '/' or ':', not '.' or '..', without control characters.");

    public static readonly DiagnosticDescriptor GenericSection = new(
        "VKV009",
        "Section type cannot be generic",
        "'{0}' cannot be a section because it or a type containing it is generic",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Section types need one fixed path and shape, so neither they nor their containing types can have type parameters.");

    public static readonly DiagnosticDescriptor InvalidJsonContext = new(
        "VKV010",
        "Invalid JSON context",
        "[KvJson] on '{0}' names '{1}', which is not a JsonSerializerContext with a static Default instance",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "[KvJson(typeof(X))] needs a System.Text.Json source-generated context: 'partial class X : JsonSerializerContext' with [JsonSerializable] entries.");

    public static readonly DiagnosticDescriptor SectionNotConstructible = new(
        "VKV011",
        "Section type cannot be created",
        "'{0}' cannot be created by the generated code: {1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A section needs an accessible parameterless constructor, or one constructor whose parameters all match members.");

    public static readonly DiagnosticDescriptor ReservedMemberName = new(
        "VKV012",
        "Member name is used by the generated code",
        "'{0}' declares '{1}', a name the generator adds to every section; rename it (a property can keep its store key with [KvKey])",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The generator adds SectionPath, ConfigurationPath, Keys, ConfigurationKeys, Bind, FromKvPairs, ToKvPairs, LoadAsync, LoadVersionedAsync and SaveAsync to a section, so the section cannot declare members with those names.");

    public static readonly DiagnosticDescriptor ConflictingKeyNames = new(
        "VKV013",
        "[KvKey] and [ConfigurationKeyName] disagree",
        "Member '{0}' has [KvKey(\"{1}\")] and [ConfigurationKeyName(\"{2}\")]: the generated code uses '{1}', while ConfigurationBinder (services.Configure<T>) reads '{2}'; remove one or give both the same name",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "[KvKey] wins over [ConfigurationKeyName]; two different names mean code bound by ConfigurationBinder reads another key than the section stores.");
}
