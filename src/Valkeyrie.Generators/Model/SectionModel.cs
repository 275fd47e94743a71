namespace Valkeyrie.Generators.Model;

/// <summary>Everything the emitter needs for one [KvSection] type: names, paths and the shapes it reads and writes.</summary>
/// <param name="Namespace">The namespace, or null for the global namespace.</param>
/// <param name="ContainingTypes">The types the section is nested in, outermost first.</param>
/// <param name="Keyword">"class" or "record".</param>
/// <param name="Name">The type's identifier.</param>
/// <param name="FullName">The fully qualified name with <c>global::</c>.</param>
/// <param name="SectionPath">The canonical store prefix.</param>
/// <param name="Keys">The key constants: the section's own members.</param>
/// <param name="Shapes">The shapes read and written; shape 0 is the section itself.</param>
/// <param name="HintName">The generated file's name.</param>
internal sealed record SectionModel(
    string? Namespace,
    EquatableArray<ContainingTypeModel> ContainingTypes,
    string Keyword,
    string Name,
    string FullName,
    string SectionPath,
    EquatableArray<KeyConstantModel> Keys,
    EquatableArray<ShapeModel> Shapes,
    string HintName)
{
    /// <summary>The configuration path: store separators become ':'.</summary>
    public string ConfigurationPath => SectionPath.Replace('/', ':');
}

/// <summary>A type the section is nested in.</summary>
/// <param name="Keyword">"class", "struct", "record", "record struct" or "interface".</param>
/// <param name="Name">The identifier.</param>
internal sealed record ContainingTypeModel(string Keyword, string Name);

/// <summary>One key constant of the section.</summary>
/// <param name="Identifier">The member's identifier (escaped), used as the constant's name.</param>
/// <param name="Segment">The member's key segment.</param>
internal sealed record KeyConstantModel(string Identifier, string Segment);
