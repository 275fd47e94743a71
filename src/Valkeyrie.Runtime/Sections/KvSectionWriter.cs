using System.ComponentModel;

namespace Valkeyrie.Sections;

/// <summary>
/// The target generated code writes a section to: store pairs (<see cref="KvPairsWriter"/>) or one JSON value
/// (<see cref="KvJsonValueWriter"/>). Generated code calls it; applications normally do not.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class KvSectionWriter
{
    /// <summary>Writes one scalar.</summary>
    /// <param name="name">The member's key segment, or the item's index inside an array.</param>
    /// <param name="text">The value formatted by <see cref="KvValueCodec"/>.</param>
    /// <param name="kind">How the text is represented inside JSON.</param>
    public abstract void WriteValue(string name, string text, KvValueKind kind);

    /// <summary>
    /// Writes a null <c>Nullable&lt;T&gt;</c> member: an empty value in store pairs (which binds as null, as
    /// ConfigurationBinder binds it), <c>null</c> in JSON.
    /// </summary>
    /// <param name="name">The member's key segment.</param>
    public abstract void WriteNull(string name);

    /// <summary>Starts a nested object or dictionary.</summary>
    /// <param name="name">The member's key segment, or the item's index inside an array.</param>
    public abstract void BeginObject(string name);

    /// <summary>Ends the object started last.</summary>
    public abstract void EndObject();

    /// <summary>Starts a collection whose items are named by their index.</summary>
    /// <param name="name">The member's key segment, or the item's index inside an array.</param>
    public abstract void BeginArray(string name);

    /// <summary>Ends the collection started last.</summary>
    public abstract void EndArray();
}
