namespace Valkeyrie.Generators.Emitting;

/// <summary>The runtime types generated code uses, by fully qualified name (the generator does not reference them).</summary>
internal static class Names
{
    public const string Codec = "global::Valkeyrie.Sections.KvValueCodec";
    public const string ValueKind = "global::Valkeyrie.Sections.KvValueKind";
    public const string Writer = "global::Valkeyrie.Sections.KvSectionWriter";
    public const string PairsWriter = "global::Valkeyrie.Sections.KvPairsWriter";
    public const string JsonWriter = "global::Valkeyrie.Sections.KvJsonValueWriter";
    public const string Reader = "global::Valkeyrie.Sections.KvSectionReader";
    public const string JsonContextCodec = "global::Valkeyrie.Sections.KvJsonContextCodec";
    public const string SectionStore = "global::Valkeyrie.Sections.KvSectionStore";
    public const string SectionInterface = "global::Valkeyrie.Sections.IKvSection";
    public const string LoadedSection = "global::Valkeyrie.Sections.KvLoadedSection";
    public const string SectionVersion = "global::Valkeyrie.Sections.KvSectionVersion";
    public const string SaveResult = "global::Valkeyrie.Sections.KvSaveResult";
    public const string BindingException = "global::Valkeyrie.Sections.KvBindingException";
    public const string Store = "global::Valkeyrie.IKvStore";
    public const string Pair = "global::Valkeyrie.KvPair";
    public const string Configuration = "global::Microsoft.Extensions.Configuration.IConfiguration";
    public const string ConfigurationExtensions = "global::Microsoft.Extensions.Configuration.ConfigurationExtensions";
    public const string Task = "global::System.Threading.Tasks.Task";
    public const string CancellationToken = "global::System.Threading.CancellationToken";
    public const string Generic = "global::System.Collections.Generic";

    public static string ReadMethod(int shape) => "__KvRead" + shape;

    public static string WriteMethod(int shape) => "__KvWrite" + shape;

    public static string Literal(string text) => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(text, quote: true);
}
