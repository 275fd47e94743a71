namespace Valkeyrie.Generators.Model;

/// <summary>How one value (a member, a collection item, a dictionary value) is stored.</summary>
internal enum ValueKind
{
    /// <summary>A string, stored as is.</summary>
    String,

    /// <summary>A scalar formatted and parsed by KvValueCodec.</summary>
    Scalar,

    /// <summary>An enum, by name.</summary>
    Enum,

    /// <summary>A nested object, collection or dictionary: sub-keys.</summary>
    Shape,

    /// <summary>One JSON value written and read by generated code through a shape.</summary>
    Json,

    /// <summary>One JSON value serialized through a user-supplied JsonSerializerContext.</summary>
    JsonContext,
}

/// <summary>How one value is stored; compared by value so models stay cacheable.</summary>
/// <param name="Kind">The storage kind.</param>
/// <param name="TypeName">The declared type, fully qualified, with its nullable annotation.</param>
/// <param name="NonNullTypeName">The type without its nullable annotation (for Nullable&lt;T&gt;, T).</param>
/// <param name="DisplayName">The short type name for messages.</param>
/// <param name="CanBeNull">Whether the value can be null (reference types and Nullable&lt;T&gt;).</param>
/// <param name="Codec">The KvValueCodec method suffix for scalars (for example Int32).</param>
/// <param name="JsonKind">The KvValueKind member used inside JSON.</param>
/// <param name="ShapeId">The shape for <see cref="ValueKind.Shape"/> and <see cref="ValueKind.Json"/>, else -1.</param>
/// <param name="JsonContext">The context type for <see cref="ValueKind.JsonContext"/>.</param>
internal sealed record ValueModel(
    ValueKind Kind,
    string TypeName,
    string NonNullTypeName,
    string DisplayName,
    bool CanBeNull,
    string Codec,
    string JsonKind,
    int ShapeId,
    string? JsonContext);
