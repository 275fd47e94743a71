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
/// LiteDB is measured twice: with the writer in this process, and with the writer in another process.
/// </summary>
public static class ReloadLatencyHarness
{
    /// <summary>The label of the LiteDB series whose writer is another process.</summary>
    public const string LiteDbCrossProcess = "LiteDb, writer in another process";

    private const string PortKey = "bench/settings/Port";

    // Reader poll interval across processes, as DynamoDB's: the poll, not Valkeyrie, bounds that latency (default 250 ms).
    private const string CrossProcessPollInterval = "50ms";

    private static readonly TimeSpan InProcessSettle = TimeSpan.FromMilliseconds(5);

    // File change events of one LiteDB write can trail it by more than a pub/sub message trails a network write.
    private static readonly TimeSpan CrossProcessSettle = TimeSpan.FromMilliseconds(20);

    /// <summary>Measures every backend in <paramref name="backends"/>; returns the series, floors first per backend.</summary>
    public static async Task<List<LatencySeries>> RunAsync(IReadOnlyList<Backend> backends, int writes)
    {
        var results = new List<LatencySeries>();
        foreach (var backend in backends)
        {
            var connectionString = await ServerPool.ConnectionStringAsync(backend, "reload-" + backend.ToString().ToLowerInvariant());
            await using (var writer = KvStoreFactory.Create(connectionString))
            {
                await SeedAsync(writer);

                // A JVM (ZooKeeper) or Node (dynalite) server compiles its hot paths during the first writes; without
                // this the first series measured, the raw floor, would pay for it.
                for (var i = 0; i < writes; i++)
                {
                    await WriteAsync(writer, 10_000 + i);
                }

                var probes = new List<IReloadProbe>();
                if (RawProbes.Create(backend, connectionString) is { } raw)
                {
                    probes.Add(raw);
                }

                probes.Add(new WatchTreeProbe(connectionString));
                probes.Add(new OptionsMonitorProbe(connectionString));
                await MeasureAllAsync(results, backend.ToString(), probes, port => WriteAsync(writer, port), writes, InProcessSettle);
            }

            if (backend == Backend.LiteDb)
            {
                await MeasureLiteDbCrossProcessAsync(results, writes);
            }
        }

        return results;
    }

    /// <summary>
    /// LiteDB with the writer in a child process: the floor is the file change event (LiteDB has no notification),
    /// then WatchTreeAsync and IOptionsMonitor here, which learn of the write by polling the file's change log.
    /// </summary>
    private static async Task MeasureLiteDbCrossProcessAsync(List<LatencySeries> results, int writes)
    {
        var file = await ServerPool.ConnectionStringAsync(Backend.LiteDb, "reload-litedb-other-process");
        await using (var seeder = KvStoreFactory.Create(file))
        {
            await SeedAsync(seeder);
        }

        var reader = file + "?pollInterval=" + CrossProcessPollInterval;

        // The writer's own poller is slowed down so its reads do not show up as file activity.
        await using var writer = await LiteDbWriterProcess.StartAsync(file + "?pollInterval=10s");
        List<IReloadProbe> probes = [new FileWatcherProbe(file["litedb:".Length..]), new WatchTreeProbe(reader), new OptionsMonitorProbe(reader)];
        await MeasureAllAsync(results, LiteDbCrossProcess, probes, writer.WriteAsync, writes, CrossProcessSettle);
    }

    private static async Task SeedAsync(IKvStore writer)
    {
        foreach (var (key, value) in BenchData.SectionValues)
        {
            await writer.PutAsync(key.Replace(':', '/'), Encoding.UTF8.GetBytes(value));
        }
    }

    private static async Task<long> WriteAsync(IKvStore writer, int port)
    {
        var start = Stopwatch.GetTimestamp();
        await writer.PutAsync(PortKey, Encoding.UTF8.GetBytes(port.ToString(CultureInfo.InvariantCulture)));
        return start;
    }

    private static async Task MeasureAllAsync(
        List<LatencySeries> results, string backend, List<IReloadProbe> probes, Func<int, Task<long>> write, int writes, TimeSpan settle)
    {
        foreach (var probe in probes)
        {
            await using (probe)
            {
                var series = await MeasureAsync(backend, probe, write, writes, settle);
                results.Add(series);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"reload latency: {backend} / {probe.Name}: p50 {series.P50:0.00} ms, p99 {series.P99:0.00} ms"));
            }
        }
    }

    /// <param name="write">Writes the port and returns the <see cref="Stopwatch"/> timestamp taken just before the write.</param>
    private static async Task<LatencySeries> MeasureAsync(string backend, IReloadProbe probe, Func<int, Task<long>> write, int writes, TimeSpan settle)
    {
        var expected = 0;
        var notBefore = long.MaxValue;
        TaskCompletionSource<long>? seen = null;
        await probe.StartAsync((port, timestamp) =>
        {
            // A notification without a value (pub/sub, file events) counts for the write in flight, but never one
            // delivered before that write was even asked for.
            if (timestamp >= Volatile.Read(ref notBefore) && (port is null || port == Volatile.Read(ref expected)))
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
            Volatile.Write(ref notBefore, Stopwatch.GetTimestamp());
            var start = await write(port);
            var end = await next.Task.WaitAsync(TimeSpan.FromSeconds(30));
            if (i >= 0)
            {
                latencies.Add(LatencySeries.Elapsed(start, end));
            }

            // Let the probe settle (a pub/sub message or a file event may trail its write) before the next write.
            await Task.Delay(settle);
        }

        return new LatencySeries(backend, probe.Name, latencies);
    }
}
