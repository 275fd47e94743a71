using System.Text;
using Microsoft.Extensions.Configuration;
using Valkeyrie.Sections;

namespace Valkeyrie.Binding.Tests;

/// <summary>
/// Regression for a case the store property suite found (seed dSZFbPvA3kc1): a null <c>long?</c> whose initializer is 42
/// was not written, so it loaded back as 42.
/// </summary>
public sealed class NullRoundTripTests
{
    [Fact]
    public async Task A_null_Nullable_member_with_a_non_null_default_loads_back_null_and_binds_null_with_ConfigurationBinder()
    {
        await using var store = new MemoryKvStore();
        var section = new NullableShape { Int64 = null, Int32 = 7 };

        Assert.Equal(KvSaveResult.Saved, await KvSectionStore.SaveAsync(store, section));
        var loaded = await KvSectionStore.LoadAsync<NullableShape>(store);

        Assert.Null(loaded.Int64);
        Assert.Equal(7, loaded.Int32);
        var stored = await store.GetAsync(NullableShape.SectionPath + "/Int64");
        Assert.NotNull(stored);
        Assert.Empty(stored.Value.ToArray());

        // The oracle: Microsoft's binder reads the same pairs the same way.
        var pairs = await store.ListAsync(NullableShape.SectionPath);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
            pairs.Select(p => KeyValuePair.Create(p.Key.Replace('/', ':'), (string?)Encoding.UTF8.GetString(p.Value.Span)))).Build();
        var bound = configuration.GetSection(NullableShape.SectionPath.Replace('/', ':')).Get<NullableShape>()!;
        Assert.Null(bound.Int64);
        Assert.Equal(7, bound.Int32);
    }

    [Fact]
    public void A_null_Nullable_member_is_JSON_null_inside_a_JSON_value()
    {
        using var writer = new KvJsonValueWriter();
        writer.BeginObject(string.Empty);
        writer.WriteNull("Int64");
        writer.EndObject();

        Assert.Equal("{\"Int64\":null}", writer.ToJson());
    }
}
