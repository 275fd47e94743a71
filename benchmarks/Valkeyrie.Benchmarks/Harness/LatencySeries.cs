using System.Diagnostics;
using System.Globalization;

namespace Valkeyrie.Benchmarks.Harness;

/// <summary>Latencies of one probe on one backend, in milliseconds, and their percentiles.</summary>
/// <param name="Backend">The backend's name.</param>
/// <param name="Probe">What observed the writes.</param>
/// <param name="Milliseconds">One latency per write.</param>
public sealed record LatencySeries(string Backend, string Probe, IReadOnlyList<double> Milliseconds)
{
    /// <summary>The median.</summary>
    public double P50 => Percentile(0.50);

    /// <summary>The 99th percentile (the maximum below 100 samples).</summary>
    public double P99 => Percentile(0.99);

    /// <summary>The slowest write.</summary>
    public double Max => Milliseconds.Max();

    /// <summary>Milliseconds between two <see cref="Stopwatch.GetTimestamp"/> values.</summary>
    public static double Elapsed(long start, long end) => (end - start) * 1000.0 / Stopwatch.Frequency;

    /// <summary>A markdown table row; <paramref name="floor"/> is the series the ratio compares with.</summary>
    public string ToRow(LatencySeries? floor) => string.Create(CultureInfo.InvariantCulture,
        $"| {Backend} | {Probe} | {Milliseconds.Count} | {P50:0.00} | {P99:0.00} | {Max:0.00} | {(floor is null ? "floor" : (P50 / floor.P50).ToString("0.00", CultureInfo.InvariantCulture) + "x")} |");

    // Nearest-rank percentile.
    private double Percentile(double fraction)
    {
        var sorted = Milliseconds.Order().ToList();
        var rank = (int)Math.Ceiling(fraction * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
