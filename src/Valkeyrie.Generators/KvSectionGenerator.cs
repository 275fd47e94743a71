using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Valkeyrie.Generators.Emitting;
using Valkeyrie.Generators.Parsing;

namespace Valkeyrie.Generators;

/// <summary>
/// Generates the section members of every [KvSection] partial type. The transform keeps only equatable models, so an
/// edit elsewhere leaves the output cached; diagnostics come from <see cref="Diagnostics.KvSectionAnalyzer"/>.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class KvSectionGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var models = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                SectionParser.SectionAttributeName,
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                static (ctx, cancellationToken) => ctx.TargetSymbol is INamedTypeSymbol type && ctx.Attributes.Length == 1
                    ? new SectionParser(ctx.SemanticModel.Compilation, null, cancellationToken).Parse(type, ctx.Attributes[0])
                    : null)
            .WithTrackingName(TrackingNames.Models)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.ValidModels);

        context.RegisterSourceOutput(models, static (spc, model) => spc.AddSource(model.HintName, SectionEmitter.Emit(model)));
    }
}
