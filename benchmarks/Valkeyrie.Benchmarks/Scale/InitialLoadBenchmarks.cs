using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Valkeyrie.Benchmarks.Infrastructure;
using Valkeyrie.Benchmarks.Sections;

namespace Valkeyrie.Benchmarks.Scale;

/// <summary>
/// Group 4a: building a configuration that loads N keys: the stock in-memory provider (baseline, a dictionary copy)
/// vs the Valkeyrie provider reading a <see cref="MemoryKvStore"/> (one consistent list, then its child-key index).
/// </summary>
[MemoryDiagnoser]
public class InitialLoadBenchmarks
{
    private List<KeyValuePair<string, string>> _values = null!;
    private MemoryKvStore _store = null!;

    /// <summary>Keys loaded.</summary>
    [ParamsSource(nameof(KeyCounts))]
    public int Keys { get; set; }

    /// <summary>The key counts; the smoke mode keeps the smallest.</summary>
    public static IEnumerable<int> KeyCounts => RunMode.IsSmoke ? [1_000] : [1_000, 10_000, 100_000];

    [GlobalSetup]
    public void Setup()
    {
        _values = [.. BenchData.UnrelatedValues(Keys)];
        _store = ConfigurationFactory.CreateStoreAsync(_values).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _store.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "Stock AddInMemoryCollection")]
    public int Stock()
    {
        var root = new ConfigurationBuilder().AddInMemoryCollection(_values!).Build();
        return root.Providers.Count();
    }

    [Benchmark(Description = "Valkeyrie AddValkeyrie (memory store)")]
    public int Valkeyrie()
    {
        var root = ConfigurationFactory.FromStore(_store, reloadOnChange: false);
        var count = root.Providers.Count();
        (root as IDisposable)?.Dispose();
        return count;
    }
}
