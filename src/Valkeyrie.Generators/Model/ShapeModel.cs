namespace Valkeyrie.Generators.Model;

/// <summary>What kind of non-scalar type a shape describes.</summary>
internal enum ShapeKind
{
    Object,
    Collection,
    Dictionary,
}

/// <summary>How a collection shape is materialised after its items are read.</summary>
internal enum CollectionKind
{
    Array,
    List,
    HashSet,
}

/// <summary>
/// A non-scalar type read and written by one pair of generated methods (<c>__KvRead{Id}</c>/<c>__KvWrite{Id}</c>).
/// Objects list their members and construction; collections and dictionaries their element.
/// </summary>
/// <param name="Id">The index in <see cref="SectionModel.Shapes"/>.</param>
/// <param name="Kind">Object, collection or dictionary.</param>
/// <param name="TypeName">The fully qualified, non-nullable type.</param>
/// <param name="DisplayName">The short type name for messages.</param>
/// <param name="Members">An object's members, in declaration order.</param>
/// <param name="Constructor">An object's constructor arguments, in order.</param>
/// <param name="Collection">How a collection is built.</param>
/// <param name="Element">A collection's item or a dictionary's value.</param>
internal sealed record ShapeModel(
    int Id,
    ShapeKind Kind,
    string TypeName,
    string DisplayName,
    EquatableArray<MemberModel> Members,
    EquatableArray<ConstructorArgumentModel> Constructor,
    CollectionKind Collection,
    ValueModel? Element);

/// <summary>One constructor argument of an object shape.</summary>
/// <param name="MemberIndex">The member it binds.</param>
/// <param name="ParameterName">The parameter's name, for messages.</param>
/// <param name="DefaultValue">The C# expression of its default value, or null when the value is required.</param>
internal sealed record ConstructorArgumentModel(int MemberIndex, string ParameterName, string? DefaultValue);
