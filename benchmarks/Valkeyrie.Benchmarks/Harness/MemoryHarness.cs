using System.Globalization;
using Microsoft.Extensions.Configuration;
using Valkeyrie.Benchmarks.Infrastructure;
using Valkeyrie.Benchmarks.Sections;

namespace Valkeyrie.Benchmarks.Harness;

/// <summary>
/// Group 4c: managed memory retained by a configuration holding N keys (full GC before and after building it):
/// the stock in-memory provider vs the Valkeyrie provider (its data and child-key index; the store's own copy,
/// built beforehand, is not counted).
/// </summary>
public static class MemoryHarness
{
    /// <summary>Measures both providers with <paramref name="keys"/> keys; returns markdown rows.</summary>
    public static async Task<List<string>> RunAsync(int keys)
    {
        var values = BenchData.UnrelatedValues(keys).ToList();
        await using var store = await ConfigurationFactory.CreateStoreAsync(values);
        // The stock provider gets freshly made strings, as a file provider would, so both sides own their keys and values.
        var stock = await RetainedAsync(() => new ConfigurationBuilder().AddInMemoryCollection(BenchData.UnrelatedValues(keys)!).Build());
        var valkeyrie = await RetainedAsync(() => ConfigurationFactory.FromStore(store, reloadOnChange: false));
        var valkeyrieReloading = await RetainedAsync(() => ConfigurationFactory.FromStore(store, reloadOnChange: true));
        return
        [
            Row("Stock AddInMemoryCollection", stock, stock, keys),
            Row("Valkeyrie (no reload)", valkeyrie, stock, keys),
            Row("Valkeyrie (ReloadOnChange, watching)", valkeyrieReloading, stock, keys),
        ];
    }

    private static async Task<long> RetainedAsync(Func<IConfigurationRoot> build)
    {
        var before = await SettledMemoryAsync();
        var root = build();
        var after = await SettledMemoryAsync();
        GC.KeepAlive(root);
        (root as IDisposable)?.Dispose();
        return after - before;
    }

    // A provider disposed just before can hold its data until its watch task has ended, which made "before" include it
    // and a watching provider's row read ~0 MB; collect until the heap stops shrinking.
    private static async Task<long> SettledMemoryAsync()
    {
        var previous = GC.GetTotalMemory(forceFullCollection: true);
        for (var attempt = 0; attempt < 20; attempt++)
        {
            await Task.Delay(100);
            var current = GC.GetTotalMemory(forceFullCollection: true);
            if (Math.Abs(current - previous) < 64 * 1024)
            {
                return current;
            }

            previous = current;
        }

        return previous;
    }

    private static string Row(string name, long bytes, long baseline, int keys) => string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {keys:N0} | {bytes / 1024.0 / 1024.0:0.0} MB | {(double)bytes / keys:0} B | {(double)bytes / baseline:0.00}x |");
}
