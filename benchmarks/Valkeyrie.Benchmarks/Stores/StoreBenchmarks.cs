using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Valkeyrie.Benchmarks.Infrastructure;

namespace Valkeyrie.Benchmarks.Stores;

/// <summary>
/// Group 3: Get, Put, List (1,000 keys) and compare-and-swap through Valkeyrie vs the backend's raw client on the
/// same loopback server (baseline in each category). Valkeyrie's keys live under <c>bench/</c>, the raw client's
/// under its own names, so neither sees the other's data. Each subclass is one backend.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public abstract class StoreBenchmarks
{
    /// <summary>Keys under the listed prefix (20 in the smoke mode).</summary>
    public static readonly int ListedKeys = RunMode.IsSmoke ? 20 : 1_000;

    // Backends already seeded by this process: an in-process run sets up each case, but the data stays.
    private static readonly HashSet<Backend> s_seeded = [];

    private const string GetKey = "bench/get";
    private const string PutKey = "bench/put";
    private const string CasKey = "bench/cas";
    private const string ListPrefix = "bench/list";

    private IKvStore _store = null!;
    private ulong _casIndex;
    private int _counter;

    /// <summary>The backend measured.</summary>
    protected abstract Backend Backend { get; }

    /// <summary>A value of about the size of a configuration value.</summary>
    protected static byte[] Value { get; } = Encoding.UTF8.GetBytes("db.example.internal:5432");

    /// <summary>The key of listed key number <paramref name="i"/> below a prefix.</summary>
    protected static string ListedKey(string prefix, int i) => string.Create(CultureInfo.InvariantCulture, $"{prefix}/item{i:D4}");

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    [Benchmark(Description = "Valkeyrie"), BenchmarkCategory("Get")]
    public Task<KvPair?> ValkeyrieGet() => _store.GetAsync(GetKey);

    [Benchmark(Baseline = true, Description = "Raw client"), BenchmarkCategory("Get")]
    public Task<int> RawGet() => RawGetAsync();

    [Benchmark(Description = "Valkeyrie"), BenchmarkCategory("Put")]
    public Task<KvPair> ValkeyriePut() => _store.PutAsync(PutKey, Value);

    [Benchmark(Baseline = true, Description = "Raw client"), BenchmarkCategory("Put")]
    public Task RawPut() => RawPutAsync();

    [Benchmark(Description = "Valkeyrie"), BenchmarkCategory("List1000")]
    public async Task<int> ValkeyrieList() => Check((await _store.ListAsync(ListPrefix)).Count);

    [Benchmark(Baseline = true, Description = "Raw client"), BenchmarkCategory("List1000")]
    public async Task<int> RawList() => Check(await RawListAsync());

    [Benchmark(Description = "Valkeyrie"), BenchmarkCategory("CAS")]
    public async Task ValkeyrieCas()
    {
        var result = await _store.AtomicPutAsync(CasKey, NextValue(), _casIndex);
        _casIndex = result.Succeeded ? result.Pair!.LastIndex : throw new InvalidOperationException($"Valkeyrie CAS failed: {result}");
    }

    [Benchmark(Baseline = true, Description = "Raw client"), BenchmarkCategory("CAS")]
    public Task RawCas() => RawCasAsync(NextValue());

    /// <summary>Connects the raw client, writes its CAS key and, when <paramref name="seed"/>, its get and listed keys.</summary>
    /// <param name="connectionString">The Valkeyrie connection string of the same server.</param>
    /// <param name="seed">Whether this is the first case of the backend in this process.</param>
    protected abstract Task RawSetupAsync(string connectionString, bool seed);

    /// <summary>Disposes the raw client.</summary>
    protected abstract Task RawCleanupAsync();

    /// <summary>Reads the raw get key; returns its value's length.</summary>
    protected abstract Task<int> RawGetAsync();

    /// <summary>Writes the raw put key.</summary>
    protected abstract Task RawPutAsync();

    /// <summary>Lists the raw listed keys with their values; returns how many.</summary>
    protected abstract Task<int> RawListAsync();

    /// <summary>Swaps the raw CAS key's value when its version is the last one seen, then remembers the new version; throws on a conflict.</summary>
    protected abstract Task RawCasAsync(byte[] value);

    private static int Check(int count) =>
        count == ListedKeys ? count : throw new InvalidOperationException($"Listed {count} keys, expected {ListedKeys}.");

    private byte[] NextValue() => Encoding.UTF8.GetBytes((++_counter).ToString(CultureInfo.InvariantCulture));

    private async Task SetupAsync()
    {
        var connectionString = await ServerPool.ConnectionStringAsync(Backend, "store-" + Backend.ToString().ToLowerInvariant());
        _store = KvStoreFactory.Create(connectionString);
        var seed = s_seeded.Add(Backend);
        if (seed)
        {
            await _store.DeleteTreeAsync("bench");
            await _store.PutAsync(GetKey, Value);
            for (var i = 0; i < ListedKeys; i++)
            {
                await _store.PutAsync(ListedKey(ListPrefix, i), Value);
            }
        }

        _casIndex = (await _store.PutAsync(CasKey, Value)).LastIndex;
        await RawSetupAsync(connectionString, seed);
        await ValkeyrieCas();
        await RawCas();
    }

    private async Task CleanupAsync()
    {
        await RawCleanupAsync();
        await _store.DisposeAsync();
    }
}
