using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Valkeyrie.Generators.Diagnostics;
using Valkeyrie.Generators.Model;

namespace Valkeyrie.Generators.Parsing;

/// <summary>
/// Turns a [KvSection] type into a <see cref="SectionModel"/>. The generator runs it without a reporter (models
/// only); the analyzer runs the same code with one, so both agree on what is generated and what is diagnosed.
/// Returns null when the section itself is unusable; members that are unusable are left out.
/// </summary>
internal sealed partial class SectionParser
{
    public const string SectionAttributeName = "Valkeyrie.Sections.KvSectionAttribute";
    private const string AttributeNamespace = "Valkeyrie.Sections";
    private const string ConfigurationNamespace = "Microsoft.Extensions.Configuration";

    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private readonly Compilation _compilation;
    private readonly Action<Diagnostic>? _report;
    private readonly CancellationToken _cancellationToken;
    private readonly List<ShapeModel?> _shapes = new();
    private readonly Dictionary<string, int> _shapeIds = new(StringComparer.Ordinal);
    private INamedTypeSymbol _section = null!;
    private int _namingPolicy;

    public SectionParser(Compilation compilation, Action<Diagnostic>? report, CancellationToken cancellationToken)
    {
        _compilation = compilation;
        _report = report;
        _cancellationToken = cancellationToken;
    }

    /// <summary>The canonical section path when it is valid (the analyzer compares them across sections).</summary>
    public string? CanonicalPath { get; private set; }

    public SectionModel? Parse(INamedTypeSymbol type, AttributeData attribute)
    {
        _section = type;
        var usable = CheckDeclaration(type);

        var rawPath = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
        if (KeyRules.TryNormalizeSectionPath(rawPath, out var path, out var pathError))
        {
            CanonicalPath = path;
        }
        else
        {
            Report(DiagnosticDescriptors.InvalidSectionPath, () => AttributeArgumentLocation(attribute, type), rawPath ?? "null", pathError);
            usable = false;
        }

        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == "NamingPolicy" && argument.Value.Value is int policy)
            {
                _namingPolicy = policy;
            }
        }

        // A generic section already has its diagnostic; its members cannot be read without type arguments.
        if (!type.IsGenericType && !TryGetObjectShape(type, null, out _, out var reason))
        {
            Report(DiagnosticDescriptors.SectionNotConstructible, () => IdentifierLocation(type, null), type.Name, reason);
            usable = false;
        }

        if (!usable || type.IsGenericType)
        {
            return null;
        }

        var section = _shapes[0]!;
        return new SectionModel(
            Namespace: type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
            ContainingTypes: new EquatableArray<ContainingTypeModel>(ContainingTypes(type).Select(t => new ContainingTypeModel(Keyword(t), Identifier(t.Name)))),
            Keyword: type.IsRecord ? "record" : "class",
            Name: Identifier(type.Name),
            FullName: section.TypeName,
            SectionPath: path,
            Keys: new EquatableArray<KeyConstantModel>(section.Members.Select(m => new KeyConstantModel(m.Identifier, m.Segment))),
            Shapes: new EquatableArray<ShapeModel>(_shapes.Select(s => s!)),
            HintName: HintName(type));
    }

    private bool CheckDeclaration(INamedTypeSymbol type)
    {
        var usable = true;
        foreach (var declared in new[] { type }.Concat(Enumerable.Reverse(ContainingTypes(type))))
        {
            if (!IsPartial(declared))
            {
                var suffix = SymbolEqualityComparer.Default.Equals(declared, type) ? string.Empty : " (it contains the section '" + type.Name + "')";
                Report(DiagnosticDescriptors.SectionNotPartial, () => IdentifierLocation(declared, null), declared.Name, suffix);
                usable = false;
            }
        }

        if (type.IsGenericType || ContainingTypes(type).Any(t => t.IsGenericType))
        {
            Report(DiagnosticDescriptors.GenericSection, () => IdentifierLocation(type, null), type.Name);
            usable = false;
        }

        return CheckMemberNames(type) && usable;
    }

    private bool CheckMemberNames(INamedTypeSymbol type)
    {
        var usable = true;
        foreach (var member in type.GetMembers())
        {
            // The analyzer sees the compilation with our own output in it; only members the user wrote count.
            if (member.IsImplicitlyDeclared || !GeneratedMemberNames.All.Contains(member.Name) || !IsDeclaredByUser(member))
            {
                continue;
            }

            Report(DiagnosticDescriptors.ReservedMemberName, () => IdentifierLocation(member, null), type.Name, member.Name);
            usable = false;
        }

        return usable;
    }

    private static bool IsDeclaredByUser(ISymbol member) =>
        member.DeclaringSyntaxReferences.Any(r => !r.SyntaxTree.FilePath.Contains(typeof(KvSectionGenerator).FullName));

    private bool IsPartial(INamedTypeSymbol type)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(_cancellationToken) is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax declaration
                && declaration.Modifiers.Any(m => m.ValueText == "partial"))
            {
                return true;
            }
        }

        return false;
    }

    private static List<INamedTypeSymbol> ContainingTypes(INamedTypeSymbol type)
    {
        var chain = new List<INamedTypeSymbol>();
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            chain.Insert(0, outer);
        }

        return chain;
    }

    private static string Keyword(INamedTypeSymbol type) => type.TypeKind switch
    {
        TypeKind.Struct => type.IsRecord ? "record struct" : "struct",
        TypeKind.Interface => "interface",
        _ => type.IsRecord ? "record" : "class",
    };

    private static string HintName(INamedTypeSymbol type)
    {
        var name = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", string.Empty);
        var chars = name.Select(c => char.IsLetterOrDigit(c) || c == '.' ? c : '_').ToArray();
        return new string(chars) + ".g.cs";
    }

    private static string Identifier(string name) =>
        Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None ? "@" + name : name;

    private static bool IsKvAttribute(AttributeData attribute, string name) =>
        attribute.AttributeClass is { } cls && cls.Name == name && cls.ContainingNamespace.ToDisplayString() == AttributeNamespace;

    private static AttributeData? FindAttribute(ISymbol? symbol, string name) =>
        symbol?.GetAttributes().FirstOrDefault(a => IsKvAttribute(a, name));

    private static AttributeData? FindConfigurationKeyName(ISymbol? symbol) =>
        symbol?.GetAttributes().FirstOrDefault(a => a.AttributeClass is { Name: "ConfigurationKeyNameAttribute" } cls
            && cls.ContainingNamespace.ToDisplayString() == ConfigurationNamespace);

    private static string ExplicitName(AttributeData attribute) =>
        attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string ?? string.Empty : string.Empty;
}
