using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Valkeyrie.Benchmarks.Infrastructure;
using Valkeyrie.Benchmarks.Sections;

namespace Valkeyrie.Benchmarks.Binding;

/// <summary>
/// Group 1: binding the 14-member <see cref="BenchSettings"/> with Valkeyrie's generated <c>Bind</c>, the reflection
/// <c>ConfigurationBinder.Get&lt;T&gt;()</c> (baseline) and Microsoft's binding source generator, while the provider
/// also holds 0 to 100,000 unrelated keys. Both providers hold exactly the same keys.
/// </summary>
[MemoryDiagnoser]
public class BindingBenchmarks
{
    private IConfigurationRoot _root = null!;
    private IConfigurationSection _section = null!;
    private MemoryKvStore? _store;

    /// <summary>Keys in the provider outside the section.</summary>
    [ParamsSource(nameof(UnrelatedKeyCounts))]
    public int UnrelatedKeys { get; set; }

    /// <summary>The provider holding the keys.</summary>
    [ParamsAllValues]
    public ProviderKind Provider { get; set; }

    /// <summary>The unrelated key counts; the smoke mode keeps the smallest two.</summary>
    public static IEnumerable<int> UnrelatedKeyCounts => RunMode.IsSmoke ? [0, 2_000] : [0, 2_000, 20_000, 100_000];

    [GlobalSetup]
    public void Setup()
    {
        var values = BenchData.SectionValues.Concat(BenchData.UnrelatedValues(UnrelatedKeys)).ToList();
        _root = ConfigurationFactory.Build(Provider, values, out _store);
        _section = _root.GetSection(BenchSettings.ConfigurationPath);
        Check(ValkeyrieGenerated());
        Check(ReflectionBinder());
        Check(MicrosoftGenerator());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        (_root as IDisposable)?.Dispose();
        _store?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Description = "Valkeyrie generated Bind")]
    public BenchSettings ValkeyrieGenerated() => BenchSettings.Bind(_section);

    [Benchmark(Baseline = true, Description = "ConfigurationBinder.Get<T> (reflection)")]
    public BenchSettings? ReflectionBinder() => _section.Get<BenchSettings>();

    [Benchmark(Description = "MS binding source generator")]
    public BenchSettings? MicrosoftGenerator() => MicrosoftGeneratedBinder.Get(_section);

    // A binder that silently skipped members would win for the wrong reason.
    private static void Check(BenchSettings? settings)
    {
        if (settings is not { Port: 6543, Mode: BenchMode.ReadWrite, Retry.Count: 5, Tags.Count: 3, Replicas.Count: 2, Limits.Count: 3 }
            || settings.Timeout != TimeSpan.FromSeconds(30) || settings.Replicas[1].Port != 6545)
        {
            throw new InvalidOperationException("A binder did not bind every member of BenchSettings.");
        }
    }
}
