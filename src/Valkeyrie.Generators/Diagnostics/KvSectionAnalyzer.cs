using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Valkeyrie.Generators.Parsing;

namespace Valkeyrie.Generators.Diagnostics;

/// <summary>
/// Reports the [KvSection] diagnostics (VKV001–VKV013). It runs the generator's own parser with a reporter, so what
/// is diagnosed is exactly what the generator skips; keeping diagnostics out of the generator keeps its pipeline cacheable.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class KvSectionAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.SectionNotPartial,
        DiagnosticDescriptors.InvalidSectionPath,
        DiagnosticDescriptors.UnsupportedMemberType,
        DiagnosticDescriptors.DuplicateKey,
        DiagnosticDescriptors.MemberCannotBeSet,
        DiagnosticDescriptors.DuplicateSectionPath,
        DiagnosticDescriptors.AttributeOnIgnoredMember,
        DiagnosticDescriptors.InvalidKeyName,
        DiagnosticDescriptors.GenericSection,
        DiagnosticDescriptors.InvalidJsonContext,
        DiagnosticDescriptors.SectionNotConstructible,
        DiagnosticDescriptors.ReservedMemberName,
        DiagnosticDescriptors.ConflictingKeyNames);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var attributeType = start.Compilation.GetTypeByMetadataName(SectionParser.SectionAttributeName);
            if (attributeType is null)
            {
                return;
            }

            // A nested type shared by several sections is parsed once per section; report each problem once.
            var reported = new ConcurrentDictionary<(string, Location), byte>();
            var paths = new ConcurrentBag<(string Path, INamedTypeSymbol Type, Location Location)>();
            start.RegisterSymbolAction(
                symbolContext =>
                {
                    var type = (INamedTypeSymbol)symbolContext.Symbol;
                    foreach (var attribute in type.GetAttributes())
                    {
                        if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
                        {
                            continue;
                        }

                        var parser = new SectionParser(
                            symbolContext.Compilation,
                            diagnostic =>
                            {
                                if (reported.TryAdd((diagnostic.Id, diagnostic.Location), 0))
                                {
                                    symbolContext.ReportDiagnostic(diagnostic);
                                }
                            },
                            symbolContext.CancellationToken);
                        parser.Parse(type, attribute);
                        if (parser.CanonicalPath is { } path)
                        {
                            paths.Add((path, type, PathLocation(attribute, type, symbolContext.CancellationToken)));
                        }
                    }
                },
                SymbolKind.NamedType);

            start.RegisterCompilationEndAction(end =>
            {
                // Configuration paths ignore case, so 'diag/dup' and 'DIAG/DUP' are the same section.
                foreach (var group in paths.GroupBy(p => p.Path, System.StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
                {
                    var sections = group.OrderBy(p => p.Type.ToDisplayString(), System.StringComparer.Ordinal).ToList();
                    foreach (var section in sections)
                    {
                        var others = string.Join(", ", sections.Where(s => !ReferenceEquals(s.Type, section.Type)).Select(s => s.Type.ToDisplayString()));
                        end.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DuplicateSectionPath, section.Location, section.Path, others));
                    }
                }
            });
        });
    }

    private static Location PathLocation(AttributeData attribute, INamedTypeSymbol type, System.Threading.CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax { ArgumentList.Arguments.Count: > 0 } syntax)
        {
            return syntax.ArgumentList.Arguments[0].GetLocation();
        }

        return type.Locations.FirstOrDefault() ?? Location.None;
    }
}
