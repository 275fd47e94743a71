using Microsoft.Extensions.Configuration;
using Valkeyrie;
using Valkeyrie.Sections;

namespace Valkeyrie.Binding.Tests;

/// <summary>One section type with both binders, callable without knowing the type statically.</summary>
public sealed record ShapeCase(
    Type Type,
    string SectionPath,
    Func<IConfiguration, Outcome> Generated,
    Func<IConfiguration, Outcome> Microsoft,
    Func<IKvStore, object, Task<KvSaveResult>> Save,
    Func<IKvStore, Task<object>> Load)
{
    public static readonly ShapeCase[] All =
    [
        Of<ScalarShape>(), Of<NullableShape>(), Of<NestedShape>(), Of<CollectionShape>(), Of<DictionaryShape>(),
        Of<MemberKindsShape>(), Of<RequiredShape>(), Of<RecordShape>(),
    ];

    public static ShapeCase Of<T>()
        where T : class, IKvSection<T> =>
        new(
            typeof(T),
            T.SectionPath,
            Binders.Generated<T>,
            Binders.Microsoft<T>,
            (store, section) => KvSectionStore.SaveAsync(store, (T)section),
            async store => await KvSectionStore.LoadAsync<T>(store));

    public override string ToString() => Type.Name;
}
