using Microsoft.CodeAnalysis;
using Valkeyrie.Generators.Diagnostics;
using Valkeyrie.Generators.Model;

namespace Valkeyrie.Generators.Parsing;

/// <summary>Values: scalars, enums, JSON members, and the collection and dictionary shapes.</summary>
internal sealed partial class SectionParser
{
    // C# spelling for messages: the error-message format shows 'int[,]' as 'int[*,*]'.
    private static readonly SymbolDisplayFormat MessageFormat = SymbolDisplayFormat.MinimallyQualifiedFormat
        .WithMiscellaneousOptions(SymbolDisplayFormat.MinimallyQualifiedFormat.MiscellaneousOptions | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private ValueModel? ParseValue(ITypeSymbol type, AttributeData? jsonAttribute, IPropertySymbol property, Location? fallback)
    {
        var value = Classify(type, jsonAttribute, property, out var reason);
        if (value is null && reason.Length > 0)
        {
            // A member already marked [KvJson] needs a System.Text.Json context, not the same advice again.
            var json = jsonAttribute is not null;
            Report(
                DiagnosticDescriptors.UnsupportedMemberType,
                () => TypeLocation(property, fallback),
                property.Name,
                type.ToDisplayString(MessageFormat),
                json ? "generated JSON" : "keys",
                reason,
                json
                    ? "use [KvJson(typeof(MyContext))] with a System.Text.Json context that has [JsonSerializable] for it, or [KvIgnore] to skip it"
                    : "mark it [KvJson] to store it as one JSON value, or [KvIgnore] to skip it");
        }

        return value;
    }

    // Returns null with an empty reason when a diagnostic was already reported (an invalid JSON context).
    private ValueModel? Classify(ITypeSymbol type, AttributeData? jsonAttribute, IPropertySymbol? owner, out string reason)
    {
        reason = string.Empty;
        var core = type;
        var canBeNull = type.IsReferenceType;
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            core = nullable.TypeArguments[0];
            canBeNull = true;
        }

        var typeName = type.ToDisplayString(TypeFormat);
        var nonNullName = core.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat);
        var display = type.ToDisplayString(MessageFormat);
        ValueModel Make(ValueKind kind, string codec = "", string jsonKind = "Text", int shape = -1, string? context = null) =>
            new(kind, typeName, nonNullName, display, canBeNull, codec, jsonKind, shape, context);

        if (jsonAttribute is { ConstructorArguments.Length: 1 } && owner is not null)
        {
            if (jsonAttribute.ConstructorArguments[0].Value is INamedTypeSymbol context && IsJsonContext(context))
            {
                return Make(ValueKind.JsonContext, context: context.ToDisplayString(TypeFormat));
            }

            Report(
                DiagnosticDescriptors.InvalidJsonContext,
                () => AttributeLocation(jsonAttribute, owner, null),
                owner.Name,
                (jsonAttribute.ConstructorArguments[0].Value as ITypeSymbol)?.ToDisplayString() ?? "null");
            return null;
        }

        if (core.SpecialType == SpecialType.System_String)
        {
            return Make(ValueKind.String);
        }

        if (ScalarTypes.TryGet(core, out var codec, out var jsonKind))
        {
            return Make(ValueKind.Scalar, codec, jsonKind);
        }

        if (core.TypeKind == TypeKind.Enum)
        {
            return Make(ValueKind.Enum, "Enum");
        }

        if (!ReferenceEquals(core, type) || core.IsValueType)
        {
            reason = "structs other than the supported scalars are not supported";
            return null;
        }

        if (!TryGetShape(core, owner, out var shape, out reason))
        {
            return null;
        }

        return Make(jsonAttribute is null ? ValueKind.Shape : ValueKind.Json, shape: shape);
    }

    private bool TryGetShape(ITypeSymbol type, IPropertySymbol? owner, out int id, out string reason)
    {
        id = -1;
        if (type is IArrayTypeSymbol array)
        {
            return array.Rank == 1
                ? TryGetCollectionShape(type, array.ElementType, CollectionKind.Array, owner, out id, out reason)
                : Fail("multi-dimensional arrays are not supported", out reason);
        }

        if (type is not INamedTypeSymbol named)
        {
            return Fail("it is not a class, collection or dictionary", out reason);
        }

        if (named.IsGenericType && named.OriginalDefinition.ContainingNamespace.ToDisplayString() == "System.Collections.Generic")
        {
            var definition = named.OriginalDefinition.MetadataName;
            switch (definition)
            {
                case "List`1" or "IList`1" or "ICollection`1" or "IEnumerable`1" or "IReadOnlyList`1" or "IReadOnlyCollection`1":
                    return TryGetCollectionShape(type, named.TypeArguments[0], CollectionKind.List, owner, out id, out reason);
                case "HashSet`1" or "ISet`1" or "IReadOnlySet`1":
                    return TryGetCollectionShape(type, named.TypeArguments[0], CollectionKind.HashSet, owner, out id, out reason);
                case "Dictionary`2" or "IDictionary`2" or "IReadOnlyDictionary`2":
                    return named.TypeArguments[0].SpecialType == SpecialType.System_String
                        ? TryGetCollectionShape(type, named.TypeArguments[1], CollectionKind.List, owner, out id, out reason, dictionary: true)
                        : Fail("dictionary keys must be strings (they become key segments)", out reason);
                default:
                    return Fail("this collection type is not supported (use an array, List, IList, IReadOnlyList, IEnumerable, HashSet or Dictionary<string, T>)", out reason);
            }
        }

        if (named.ContainingNamespace.ToDisplayString() is "System" || named.ContainingNamespace.ToDisplayString().StartsWith("System.", System.StringComparison.Ordinal))
        {
            return Fail("it is not a supported scalar and framework types are not stored member by member", out reason);
        }

        var location = owner is null ? null : IdentifierLocation(owner, null);
        return TryGetObjectShape(named, location, out id, out reason);
    }

    private bool TryGetCollectionShape(ITypeSymbol type, ITypeSymbol elementType, CollectionKind kind, IPropertySymbol? owner, out int id, out string reason, bool dictionary = false)
    {
        id = -1;
        var element = Classify(elementType, null, owner, out reason);
        if (element is null)
        {
            reason = (dictionary ? "its values cannot be stored: " : "its items cannot be stored: ") + reason;
            return false;
        }

        var typeName = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat);
        if (!_shapeIds.TryGetValue(typeName, out id))
        {
            id = _shapes.Count;
            _shapeIds.Add(typeName, id);
            _shapes.Add(new ShapeModel(
                id,
                dictionary ? ShapeKind.Dictionary : ShapeKind.Collection,
                typeName,
                type.ToDisplayString(MessageFormat),
                EquatableArray<MemberModel>.Empty,
                EquatableArray<ConstructorArgumentModel>.Empty,
                kind,
                element));
        }

        return true;
    }

    private static bool IsJsonContext(INamedTypeSymbol type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (current.Name == "JsonSerializerContext" && current.ContainingNamespace.ToDisplayString() == "System.Text.Json.Serialization")
            {
                return true;
            }
        }

        return false;
    }

    private static bool Fail(string message, out string reason)
    {
        reason = message;
        return false;
    }
}
