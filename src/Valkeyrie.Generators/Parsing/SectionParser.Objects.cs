using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Valkeyrie.Generators.Diagnostics;
using Valkeyrie.Generators.Model;

namespace Valkeyrie.Generators.Parsing;

/// <summary>Object shapes: how a class or record is constructed and which of its members are stored.</summary>
internal sealed partial class SectionParser
{
    private bool TryGetObjectShape(INamedTypeSymbol type, Location? fallback, out int id, out string reason)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        var typeName = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat);
        if (_shapeIds.TryGetValue(typeName, out id))
        {
            reason = string.Empty;
            return true;
        }

        if (!TryChooseConstructor(type, out var constructor, out reason))
        {
            id = -1;
            return false;
        }

        // Reserve the id first so that a type reachable from its own members (a tree) refers to itself.
        id = _shapes.Count;
        _shapes.Add(null);
        _shapeIds.Add(typeName, id);

        var members = new List<MemberModel>();
        var parameters = constructor.Parameters;
        var memberOfParameter = new int[parameters.Length];
        for (var i = 0; i < memberOfParameter.Length; i++)
        {
            memberOfParameter[i] = -1;
        }

        var keys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in Properties(type, fallback, report: true))
        {
            var parameterIndex = IndexOfParameter(parameters, property.Name);
            var parameter = parameterIndex >= 0 ? parameters[parameterIndex] : null;
            var member = ParseMember(property, parameter, constructor, keys, fallback);
            if (member is null)
            {
                continue;
            }

            if (parameterIndex >= 0)
            {
                memberOfParameter[parameterIndex] = members.Count;
            }

            members.Add(member);
        }

        var arguments = parameters.Select((p, i) => new ConstructorArgumentModel(
            memberOfParameter[i],
            p.Name,
            p.HasExplicitDefaultValue ? DefaultValueExpression(p) : memberOfParameter[i] < 0 ? "default!" : null));

        _shapes[id] = new ShapeModel(
            id,
            ShapeKind.Object,
            typeName,
            type.Name,
            new EquatableArray<MemberModel>(members),
            new EquatableArray<ConstructorArgumentModel>(arguments),
            CollectionKind.List,
            null);
        return true;
    }

    private MemberModel? ParseMember(IPropertySymbol property, IParameterSymbol? parameter, IMethodSymbol constructor, Dictionary<string, string> keys, Location? fallback)
    {
        var keyAttribute = FindAttribute(property, "KvKeyAttribute") ?? FindAttribute(parameter, "KvKeyAttribute");
        var jsonAttribute = FindAttribute(property, "KvJsonAttribute") ?? FindAttribute(parameter, "KvJsonAttribute");

        MemberAssignment assignment;
        if (parameter is not null)
        {
            assignment = MemberAssignment.Constructor;
        }
        else if (property.SetMethod is { } setter && _compilation.IsSymbolAccessibleWithin(setter, _section))
        {
            var required = property.IsRequired && !SetsRequiredMembers(constructor);
            assignment = required ? MemberAssignment.Required : setter.IsInitOnly ? MemberAssignment.Init : MemberAssignment.Setter;
        }
        else
        {
            Report(DiagnosticDescriptors.MemberCannotBeSet, () => IdentifierLocation(property, fallback), property.Name);
            return null;
        }

        // Microsoft's [ConfigurationKeyName] names the key the way ConfigurationBinder reads it; [KvKey] wins over it.
        var configurationKeyAttribute = FindConfigurationKeyName(property) ?? FindConfigurationKeyName(parameter);
        var explicitKey = keyAttribute ?? configurationKeyAttribute;
        string segment;
        if (explicitKey is not null)
        {
            segment = ExplicitName(explicitKey);
            if (!KeyRules.IsValidSegment(segment, out var keyError))
            {
                Report(DiagnosticDescriptors.InvalidKeyName, () => AttributeArgumentLocation(explicitKey, property, fallback), segment, property.Name, keyError);
                return null;
            }

            if (keyAttribute is not null && configurationKeyAttribute is not null && ExplicitName(configurationKeyAttribute) is var configurationKey
                && !string.Equals(configurationKey, segment, StringComparison.Ordinal))
            {
                Report(DiagnosticDescriptors.ConflictingKeyNames, () => AttributeLocation(configurationKeyAttribute, property, fallback), property.Name, segment, configurationKey);
            }
        }
        else
        {
            segment = KeyNaming.Apply(property.Name, _namingPolicy);
        }

        var value = ParseValue(property.Type, jsonAttribute, property, fallback);
        if (value is null)
        {
            return null;
        }

        if (keys.TryGetValue(segment, out var other))
        {
            Report(DiagnosticDescriptors.DuplicateKey, () => IdentifierLocation(property, fallback), property.Name, segment, other);
            return null;
        }

        keys.Add(segment, property.Name);
        return new MemberModel(Identifier(property.Name), segment, assignment, value);
    }

    // Public instance properties with a public getter, base types first; anything else is skipped, and Kv attributes
    // on skipped members are reported because they would silently do nothing.
    private List<IPropertySymbol> Properties(INamedTypeSymbol type, Location? fallback, bool report)
    {
        var hierarchy = new List<INamedTypeSymbol>();
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            hierarchy.Insert(0, current);
        }

        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<IPropertySymbol>();
        foreach (var declaring in hierarchy)
        {
            foreach (var symbol in declaring.GetMembers())
            {
                var ignoredBecause = IgnoredBecause(symbol);
                if (ignoredBecause is not null)
                {
                    if (report)
                    {
                        ReportIgnoredAttributes(symbol, ignoredBecause, fallback);
                    }

                    continue;
                }

                var property = (IPropertySymbol)symbol;
                if (byName.TryGetValue(property.Name, out var index))
                {
                    result[index] = property;
                }
                else
                {
                    byName.Add(property.Name, result.Count);
                    result.Add(property);
                }
            }
        }

        return result;
    }

    private static string? IgnoredBecause(ISymbol symbol)
    {
        if (symbol is not IPropertySymbol property)
        {
            return symbol is IFieldSymbol { IsImplicitlyDeclared: false } ? "fields are not stored; use a property" : string.Empty;
        }

        if (property.IsImplicitlyDeclared)
        {
            return string.Empty;
        }

        if (property.IsStatic)
        {
            return "it is static";
        }

        if (property.IsIndexer)
        {
            return "it is an indexer";
        }

        if (property.DeclaredAccessibility != Accessibility.Public || property.GetMethod is not { DeclaredAccessibility: Accessibility.Public })
        {
            return "it is not public";
        }

        if (property.ExplicitInterfaceImplementations.Length > 0)
        {
            return "it is an explicit interface implementation";
        }

        return FindAttribute(property, "KvIgnoreAttribute") is not null ? "it is marked [KvIgnore]" : null;
    }

    private void ReportIgnoredAttributes(ISymbol symbol, string reason, Location? fallback)
    {
        if (_report is null || reason.Length == 0)
        {
            return;
        }

        foreach (var attribute in symbol.GetAttributes())
        {
            if (IsKvAttribute(attribute, "KvKeyAttribute") || IsKvAttribute(attribute, "KvJsonAttribute"))
            {
                var name = attribute.AttributeClass!.Name.Substring(0, attribute.AttributeClass.Name.Length - "Attribute".Length);
                Report(DiagnosticDescriptors.AttributeOnIgnoredMember, () => AttributeLocation(attribute, symbol, fallback), name, symbol.Name, reason);
            }
        }
    }

    private bool TryChooseConstructor(INamedTypeSymbol type, out IMethodSymbol constructor, out string reason)
    {
        constructor = null!;
        if (type.TypeKind != TypeKind.Class || type.IsStatic)
        {
            reason = "only classes and records can be nested in a section";
            return false;
        }

        if (type.IsAbstract)
        {
            reason = "it is abstract";
            return false;
        }

        if (type.IsGenericType)
        {
            reason = "generic classes are not supported";
            return false;
        }

        var candidates = type.InstanceConstructors
            .Where(c => _compilation.IsSymbolAccessibleWithin(c, _section))
            .Where(c => !(c.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(c.Parameters[0].Type, type)))
            .ToList();
        var chosen = candidates.FirstOrDefault(c => c.Parameters.Length == 0) ?? (candidates.Count == 1 ? candidates[0] : null);
        if (chosen is null)
        {
            reason = candidates.Count == 0
                ? "it has no accessible constructor"
                : "it has no parameterless constructor and more than one constructor with parameters";
            return false;
        }

        var properties = Properties(type, null, report: false);
        foreach (var parameter in chosen.Parameters)
        {
            if (!properties.Any(p => string.Equals(p.Name, parameter.Name, StringComparison.OrdinalIgnoreCase)))
            {
                reason = "its constructor parameter '" + parameter.Name + "' matches no public property";
                return false;
            }
        }

        constructor = chosen;
        reason = string.Empty;
        return true;
    }

    private static int IndexOfParameter(IReadOnlyList<IParameterSymbol> parameters, string name)
    {
        for (var i = 0; i < parameters.Count; i++)
        {
            if (string.Equals(parameters[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool SetsRequiredMembers(IMethodSymbol constructor) =>
        constructor.GetAttributes().Any(a => a.AttributeClass?.Name == "SetsRequiredMembersAttribute");

    private static string DefaultValueExpression(IParameterSymbol parameter)
    {
        var value = parameter.ExplicitDefaultValue;
        if (value is null)
        {
            return "default!";
        }

        var type = parameter.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
            ? nullable.TypeArguments[0]
            : parameter.Type;
        var literal = value switch
        {
            string text => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(text, quote: true),
            char c => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(c, quote: true),
            bool b => b ? "true" : "false",
            IFormattable number => number.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            _ => "default!",
        };
        return literal == "default!" ? literal : "(" + type.ToDisplayString(TypeFormat) + ")(" + literal + ")";
    }
}
