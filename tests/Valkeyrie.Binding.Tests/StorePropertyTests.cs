using System.Text;
using CsCheck;
using Microsoft.Extensions.Configuration;
using Valkeyrie.Configuration;
using Valkeyrie.Sections;

namespace Valkeyrie.Binding.Tests;

/// <summary>
/// Properties over random data through a real store: what a section saves it loads back unchanged, and reading
/// the same store pairs through LoadAsync and through the configuration provider gives the same section.
/// </summary>
public sealed class StorePropertyTests
{
    private const int CasesPerShape = 60;

    [Fact]
    public void SaveAsync_then_LoadAsync_gives_back_an_equal_section()
    {
        foreach (var shape in ShapeCase.All)
        {
            ConfigurationGen.ForSection(shape.Type).Sample(
                entries =>
                {
                    // Random sections come from binding random configuration; configurations that do not bind are skipped.
                    if (shape.Generated(Binders.Configuration(shape.SectionPath, entries)).Value is not { } section)
                    {
                        return;
                    }

                    var store = new MemoryKvStore();
                    object loaded;
                    try
                    {
                        Assert.Equal(KvSaveResult.Saved, shape.Save(store, section).GetAwaiter().GetResult());
                        loaded = shape.Load(store).GetAwaiter().GetResult();
                    }
                    finally
                    {
                        store.DisposeAsync().AsTask().GetAwaiter().GetResult();
                    }

                    Assert.True(DeepCompare.FirstDifference(section, loaded) is null, $"{shape} loaded back different at '{DeepCompare.FirstDifference(section, loaded)}'");
                },
                iter: CasesPerShape,
                threads: 1,
                print: entries => string.Join("\n", entries));
        }
    }

    [Fact]
    public void LoadAsync_and_binding_the_provider_agree_on_the_same_store_pairs()
    {
        foreach (var shape in ShapeCase.All)
        {
            // Some keys are repeated with another case and value, which both read paths must resolve the same way.
            var gen = ConfigurationGen.ForSection(shape.Type).SelectMany(entries => Gen.Bool.Array[entries.Count, entries.Count].Select(flip =>
                entries.Concat(entries.Where((_, i) => flip[i]).Select(e => new Entry(e.Key.ToUpperInvariant(), e.Value + "-upper"))).ToList()));
            gen.Sample(
                entries =>
                {
                    var store = new MemoryKvStore();
                    try
                    {
                        AssertSameThroughLoadAndProvider(shape, store, entries);
                    }
                    finally
                    {
                        store.DisposeAsync().AsTask().GetAwaiter().GetResult();
                    }
                },
                iter: CasesPerShape,
                threads: 1,
                print: entries => string.Join("\n", entries));
        }
    }

    private static void AssertSameThroughLoadAndProvider(ShapeCase shape, MemoryKvStore store, List<Entry> entries)
    {
        foreach (var entry in entries.Where(e => e.Value is not null))
        {
            store.PutAsync(shape.SectionPath + "/" + entry.Key.Replace(':', '/'), Encoding.UTF8.GetBytes(entry.Value!)).GetAwaiter().GetResult();
        }

        Outcome loaded;
        try
        {
            loaded = new(shape.Load(store).GetAwaiter().GetResult(), null);
        }
        catch (KvBindingException e)
        {
            loaded = new(null, e);
        }

        var configuration = new ConfigurationBuilder()
            .AddValkeyrie(store, o =>
            {
                o.Prefixes.Add(shape.SectionPath);
                o.ReloadOnChange = false;
                o.ProbeInterval = TimeSpan.Zero;
            })
            .Build();
        var bound = shape.Generated(configuration);
        (configuration as IDisposable)?.Dispose();

        Assert.True((loaded.Error is null) == (bound.Error is null), $"LoadAsync: {loaded}; provider: {bound}");
        if (loaded.Value is not null)
        {
            var difference = DeepCompare.FirstDifference(loaded.Value, bound.Value);
            Assert.True(difference is null, $"{shape}: LoadAsync and the provider differ at '{difference}'");
        }
    }
}
