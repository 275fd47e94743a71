using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Valkeyrie.Configuration.Internal;

/// <summary>The <see cref="Meter"/> and <see cref="ActivitySource"/> named <c>Valkeyrie</c>, and the provider's instruments.</summary>
internal static class Telemetry
{
    public const string Name = "Valkeyrie";

    private static readonly ConcurrentDictionary<ValkeyrieConfigurationProvider, byte> Live = new();

    public static readonly ActivitySource ActivitySource = new(Name, typeof(Telemetry).Assembly.GetName().Version?.ToString());

    public static readonly Meter Meter = new(Name, typeof(Telemetry).Assembly.GetName().Version?.ToString());

    public static readonly Counter<long> Reloads = Meter.CreateCounter<long>(
        "valkeyrie.configuration.reloads", "{reload}", "Reloads that changed configuration content.");

    public static readonly Histogram<double> ReloadLatency = Meter.CreateHistogram<double>(
        "valkeyrie.configuration.reload.latency", "s", "Time from a change arriving from the store to the new data being visible.");

    public static readonly Counter<long> Failures = Meter.CreateCounter<long>(
        "valkeyrie.configuration.failures", "{failure}", "Failed loads, watch restarts, probes and snapshot-file writes.");

    static Telemetry()
    {
        Meter.CreateObservableGauge(
            "valkeyrie.configuration.staleness",
            ObserveStaleness,
            "s",
            "Time since the store last confirmed the data (a snapshot, a change or a probe).");
    }

    public static void Track(ValkeyrieConfigurationProvider provider) => Live[provider] = 0;

    public static void Untrack(ValkeyrieConfigurationProvider provider) => Live.TryRemove(provider, out _);

    public static KeyValuePair<string, object?> Tag(string name, object? value) => new(name, value);

    private static IEnumerable<Measurement<double>> ObserveStaleness()
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var provider in Live.Keys)
        {
            if (provider.Status.LastSynchronized is { } synchronized)
            {
                yield return new Measurement<double>((now - synchronized).TotalSeconds, Tag("valkeyrie.store", provider.StoreName));
            }
        }
    }
}
