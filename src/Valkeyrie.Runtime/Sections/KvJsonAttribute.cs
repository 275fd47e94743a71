namespace Valkeyrie.Sections;

/// <summary>
/// Stores a member as one JSON value under its key instead of one key per scalar.
/// Without <see cref="Context"/>, the generator writes and reads the JSON itself for every shape it supports
/// (scalars, nested classes, collections, string-keyed dictionaries); with <see cref="Context"/>, the member is
/// serialized by System.Text.Json through that source-generated context, so any type the context knows works,
/// still without reflection.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, AllowMultiple = false, Inherited = true)]
public sealed class KvJsonAttribute : Attribute
{
    /// <summary>Stores the member as JSON written by the generated code.</summary>
    public KvJsonAttribute()
    {
    }

    /// <summary>Stores the member as JSON through a source-generated System.Text.Json context.</summary>
    /// <param name="context">
    /// A type deriving from <c>System.Text.Json.Serialization.JsonSerializerContext</c> (with its static <c>Default</c>
    /// instance) that has a <c>[JsonSerializable]</c> entry for the member's type.
    /// </param>
    public KvJsonAttribute(Type context)
    {
        Context = context;
    }

    /// <summary>The source-generated JSON context used for the member, or <see langword="null"/> for generated JSON code.</summary>
    public Type? Context { get; }
}
