using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;
using Valkeyrie.Benchmarks.Infrastructure;
using Valkeyrie.Benchmarks.Sections;

namespace Valkeyrie.Benchmarks.Scale;

/// <summary>
/// Group 4b: the cost of one changed key reaching configuration while the provider holds N keys: from the write
/// to the store until the configuration's reload token fires. Valkeyrie applies the watch delta (O(changed keys));
/// the baseline does what snapshot-style providers do on a change notification: re-list the whole prefix and
/// replace the provider's data (O(N)). Both over the same <see cref="MemoryKvStore"/>; Valkeyrie's reload delay is 0.
/// </summary>
[MemoryDiagnoser]
public class ApplyChangeBenchmarks
{
    private const string ChangedKey = "filler000/group000/item000000/value";
    private MemoryKvStore _store = null!;
    private IConfigurationRoot _valkeyrie = null!;
    private ReListingProvider _relisting = null!;
    private int _version;

    /// <summary>Keys the provider holds.</summary>
    [ParamsSource(nameof(KeyCounts))]
    public int Keys { get; set; }

    /// <summary>The key counts; the smoke mode keeps the smallest.</summary>
    public static IEnumerable<int> KeyCounts => RunMode.IsSmoke ? [1_000] : [1_000, 100_000];

    [GlobalSetup]
    public void Setup()
    {
        _store = ConfigurationFactory.CreateStoreAsync(BenchData.UnrelatedValues(Keys)).GetAwaiter().GetResult();
        _valkeyrie = ConfigurationFactory.FromStore(_store, reloadOnChange: true);
        _relisting = new ReListingProvider(_store);
        _relisting.Load();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        (_valkeyrie as IDisposable)?.Dispose();
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "Re-list and replace data (stock-style reload)")]
    public async Task<string?> ReList()
    {
        await _store.PutAsync(ChangedKey, NextValue());
        _relisting.Load();
        _relisting.TryGet(ChangedKey.Replace('/', ':'), out var value);
        return value;
    }

    [Benchmark(Description = "Valkeyrie watch delta")]
    public async Task<string?> ValkeyrieDelta()
    {
        var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (_valkeyrie.GetReloadToken().RegisterChangeCallback(static s => ((TaskCompletionSource)s!).TrySetResult(), reloaded))
        {
            await _store.PutAsync(ChangedKey, NextValue());
            await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        return _valkeyrie[ChangedKey.Replace('/', ':')];
    }

    private byte[] NextValue() => Encoding.UTF8.GetBytes((++_version).ToString(CultureInfo.InvariantCulture));

    /// <summary>A provider that reloads the way snapshot-style providers do: list everything, replace the data.</summary>
    private sealed class ReListingProvider(MemoryKvStore store) : ConfigurationProvider
    {
        public override void Load()
        {
            var pairs = store.ListAsync("").GetAwaiter().GetResult();
            var data = new Dictionary<string, string?>(pairs.Count, StringComparer.OrdinalIgnoreCase);
            foreach (var pair in pairs)
            {
                data[pair.Key.Replace('/', ':')] = Encoding.UTF8.GetString(pair.Value.Span);
            }

            Data = data;
            OnReload();
        }
    }
}
