using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Valkeyrie.Sections;

/// <summary>
/// Serializes <c>[KvJson(typeof(MyContext))]</c> members through a source-generated
/// <see cref="JsonSerializerContext"/>, so no reflection-based serializer is involved. Generated code calls it.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class KvJsonContextCodec
{
    /// <summary>Serializes a value with the context's metadata for <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The member's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="context">The source-generated context.</param>
    /// <param name="path">The member's key, for error messages.</param>
    public static string Serialize<T>(T value, JsonSerializerContext context, string path) =>
        JsonSerializer.Serialize(value, TypeInfo<T>(context, path));

    /// <summary>Deserializes a value with the context's metadata for <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The member's type.</typeparam>
    /// <param name="json">The JSON text.</param>
    /// <param name="context">The source-generated context.</param>
    /// <param name="path">The key or configuration path, for error messages.</param>
    /// <exception cref="KvBindingException">The text is not JSON for <typeparamref name="T"/>.</exception>
    public static T Deserialize<T>(string json, JsonSerializerContext context, string path)
    {
        var typeInfo = TypeInfo<T>(context, path);
        try
        {
            return JsonSerializer.Deserialize(json, typeInfo)!;
        }
        catch (JsonException e)
        {
            throw KvBindingException.InvalidJson(path, typeof(T).Name, "JSON for " + typeof(T).Name, e);
        }
    }

    private static JsonTypeInfo<T> TypeInfo<T>(JsonSerializerContext context, string path)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.GetTypeInfo(typeof(T)) as JsonTypeInfo<T>
            ?? throw new InvalidOperationException(
                $"The JSON context {context.GetType().Name} used for '{path}' has no metadata for {typeof(T).Name}; add [JsonSerializable(typeof({typeof(T).Name}))] to it.");
    }
}
