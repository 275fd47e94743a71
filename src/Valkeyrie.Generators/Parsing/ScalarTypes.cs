using Microsoft.CodeAnalysis;

namespace Valkeyrie.Generators.Parsing;

/// <summary>The scalars KvValueCodec supports: the codec method suffix and the JSON kind of each.</summary>
internal static class ScalarTypes
{
    public static bool TryGet(ITypeSymbol type, out string codec, out string jsonKind)
    {
        jsonKind = "Number";
        codec = type.SpecialType switch
        {
            SpecialType.System_Boolean => "Boolean",
            SpecialType.System_Char => "Char",
            SpecialType.System_SByte => "SByte",
            SpecialType.System_Byte => "Byte",
            SpecialType.System_Int16 => "Int16",
            SpecialType.System_UInt16 => "UInt16",
            SpecialType.System_Int32 => "Int32",
            SpecialType.System_UInt32 => "UInt32",
            SpecialType.System_Int64 => "Int64",
            SpecialType.System_UInt64 => "UInt64",
            SpecialType.System_IntPtr => "IntPtr",
            SpecialType.System_UIntPtr => "UIntPtr",
            SpecialType.System_Decimal => "Decimal",
            SpecialType.System_Single => "Single",
            SpecialType.System_Double => "Double",
            SpecialType.System_DateTime => "DateTime",
            _ => ByName(type),
        };

        if (codec is "Boolean")
        {
            jsonKind = "Boolean";
        }
        else if (codec is "Char" or "DateTime" or "Guid" or "DateTimeOffset" or "DateOnly" or "TimeOnly" or "TimeSpan" or "Uri" or "Version" or "Bytes")
        {
            jsonKind = "Text";
        }

        return codec.Length > 0;
    }

    private static string ByName(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte })
        {
            return "Bytes";
        }

        if (type.ContainingNamespace is not { Name: "System", ContainingNamespace.IsGlobalNamespace: true } || type is not INamedTypeSymbol { Arity: 0 })
        {
            return string.Empty;
        }

        return type.Name switch
        {
            "Guid" or "DateTimeOffset" or "DateOnly" or "TimeOnly" or "TimeSpan" or "Uri" or "Version" or "Half" or "Int128" or "UInt128" => type.Name,
            _ => string.Empty,
        };
    }
}
