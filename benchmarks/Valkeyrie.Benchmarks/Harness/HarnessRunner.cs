using Valkeyrie.Benchmarks.Infrastructure;

namespace Valkeyrie.Benchmarks.Harness;

/// <summary>
/// Runs the measurements that are not BenchmarkDotNet benchmarks, reload latency and retained memory, and prints
/// their markdown tables.
/// </summary>
public static class HarnessRunner
{
    /// <summary>Runs the harness; false when a measurement failed.</summary>
    /// <param name="options">The command line.</param>
    public static async Task<bool> RunAsync(BenchOptions options)
    {
        try
        {
            var latencies = await ReloadLatencyHarness.RunAsync(options.Backends, options.Writes);
            var memory = await MemoryHarness.RunAsync(options.Smoke ? 10_000 : 100_000);

            Console.WriteLine();
            Console.WriteLine($"## Reload latency ({options.Writes} writes per series, ReloadDelay = 0)");
            Console.WriteLine("| Backend | Observer | n | p50 ms | p99 ms | max ms | p50 vs floor |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
            foreach (var backend in latencies.GroupBy(s => s.Backend))
            {
                var floor = backend.First();
                foreach (var series in backend)
                {
                    Console.WriteLine(series.ToRow(ReferenceEquals(series, floor) ? null : floor));
                }
            }

            Console.WriteLine();
            Console.WriteLine("## Retained memory");
            Console.WriteLine("| Provider | Keys | Retained | Per key | vs stock |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            memory.ForEach(Console.WriteLine);
            return true;
        }
        catch (Exception e) when (e is KvException or TimeoutException or InvalidOperationException or HttpRequestException or IOException)
        {
            Console.WriteLine($"harness: failed: {e}");
            return false;
        }
    }
}
