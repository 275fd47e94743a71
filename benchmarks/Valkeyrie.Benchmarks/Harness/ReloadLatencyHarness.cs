using System.Diagnostics;
using System.Globalization;
using System.Text;
using Valkeyrie.Benchmarks.Infrastructure;
using Valkeyrie.Benchmarks.Sections;

namespace Valkeyrie.Benchmarks.Harness;

/// <summary>
/// Group 2: reload latency. For each backend and probe, N sequential writes of <c>bench/settings/Port</c> by a
/// separate writer connection; each latency runs from just before the write call to the moment the probe sees that
/// write (the next write starts only then). The probes: Valkeyrie's <c>IOptionsMonitor.OnChange</c>, Valkeyrie's
/// <c>WatchTreeAsync</c> (intermediate floor) and the raw client's own notification (floor) where the backend has one.
/// </summary>
public static class ReloadLatencyHarness
{
    private const string PortKey = "bench/settings/Port";

    /// <summary>Measures every backend in <paramref name="backends"/>; returns the series, floors first per backend.</summary>
    public static async Task<List<LatencySeries>> RunAsync(IReadOnlyList<Backend> backends, int writes)
    {
        var results = new List<LatencySeries>();
        foreach (var backend in backends)
        {
            var connectionString = await ServerPool.ConnectionStringAsync(backend, "reload-" + backend.ToString().ToLowerInvariant());
            await using var writer = KvStoreFactory.Create(connectionString);
            foreach (var (key, value) in BenchData.SectionValues)
            {
                await writer.PutAsync(key.Replace(':', '/'), Encoding.UTF8.GetBytes(value));
            }

            var probes = new List<IReloadProbe>();
            if (RawProbes.Create(backend, connectionString) is { } raw)
            {
                probes.Add(raw);
            }

            probes.Add(new WatchTreeProbe(connectionString));
            probes.Add(new OptionsMonitorProbe(connectionString));
            foreach (var probe in probes)
            {
                await using (probe)
                {
                    var series = await MeasureAsync(backend.ToString(), probe, writer, writes);
                    results.Add(series);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"reload latency: {backend} / {probe.Name}: p50 {series.P50:0.00} ms, p99 {series.P99:0.00} ms"));
                }
            }
        }

        return results;
    }

    private static async Task<LatencySeries> MeasureAsync(string backend, IReloadProbe probe, IKvStore writer, int writes)
    {
        var expected = 0;
        TaskCompletionSource<long>? seen = null;
        await probe.StartAsync((port, timestamp) =>
        {
            // A notification without a value (pub/sub) counts for the write in flight.
            if (port is null || port == Volatile.Read(ref expected))
            {
                Volatile.Read(ref seen)?.TrySetResult(timestamp);
            }
        });

        var latencies = new List<double>(writes);
        var warmups = Math.Min(5, writes);
        for (var i = -warmups; i < writes; i++)
        {
            var port = 20_000 + (i + warmups) % 20_000;
            var next = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref seen, next);
            Volatile.Write(ref expected, port);
            var start = Stopwatch.GetTimestamp();
            await writer.PutAsync(PortKey, Encoding.UTF8.GetBytes(port.ToString(CultureInfo.InvariantCulture)));
            var end = await next.Task.WaitAsync(TimeSpan.FromSeconds(30));
            if (i >= 0)
            {
                latencies.Add(LatencySeries.Elapsed(start, end));
            }

            // Let the probe settle (a pub/sub message may trail its write) before the next write.
            await Task.Delay(5);
        }

        return new LatencySeries(backend, probe.Name, latencies);
    }
}
