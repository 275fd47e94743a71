using System.Text;
using Microsoft.Extensions.Configuration;

namespace Valkeyrie.Benchmarks.Infrastructure;

/// <summary>Which provider holds the configuration data in a benchmark.</summary>
public enum ProviderKind
{
    /// <summary>The stock <c>MemoryConfigurationProvider</c> (<c>AddInMemoryCollection</c>).</summary>
    Stock,

    /// <summary><c>AddValkeyrie</c> over a <see cref="MemoryKvStore"/> holding the same keys.</summary>
    Valkeyrie,
}

/// <summary>Builds configurations holding given keys in either provider.</summary>
public static class ConfigurationFactory
{
    /// <summary>A store holding <paramref name="values"/>, configuration keys (<c>a:b</c>) written as store keys (<c>a/b</c>).</summary>
    /// <param name="values">The keys and values.</param>
    public static async Task<MemoryKvStore> CreateStoreAsync(IEnumerable<KeyValuePair<string, string>> values)
    {
        var store = new MemoryKvStore();
        foreach (var (key, value) in values)
        {
            await store.PutAsync(key.Replace(':', '/'), Encoding.UTF8.GetBytes(value));
        }

        return store;
    }

    /// <summary>The configuration a provider of <paramref name="kind"/> gives for <paramref name="values"/>; no reload, no probe.</summary>
    /// <param name="kind">The provider.</param>
    /// <param name="values">The keys and values.</param>
    /// <param name="store">For <see cref="ProviderKind.Valkeyrie"/>, the store (dispose it after the configuration); else null.</param>
    public static IConfigurationRoot Build(ProviderKind kind, IReadOnlyCollection<KeyValuePair<string, string>> values, out MemoryKvStore? store)
    {
        if (kind == ProviderKind.Stock)
        {
            store = null;
            return new ConfigurationBuilder().AddInMemoryCollection(values!).Build();
        }

        store = CreateStoreAsync(values).GetAwaiter().GetResult();
        return FromStore(store, reloadOnChange: false);
    }

    /// <summary>A configuration over an existing store.</summary>
    /// <param name="store">The store.</param>
    /// <param name="reloadOnChange">Whether the provider watches the store (with no reload delay).</param>
    public static IConfigurationRoot FromStore(IKvStore store, bool reloadOnChange) =>
        new ConfigurationBuilder().AddValkeyrie(store, source =>
        {
            source.ReloadOnChange = reloadOnChange;
            source.ReloadDelay = TimeSpan.Zero;
            source.ProbeInterval = TimeSpan.Zero;
        }).Build();
}
