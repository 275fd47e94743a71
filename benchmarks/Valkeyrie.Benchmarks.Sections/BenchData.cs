using System.Globalization;

namespace Valkeyrie.Benchmarks.Sections;

/// <summary>The configuration data the binding benchmarks use: the section's keys and unrelated filler keys.</summary>
public static class BenchData
{
    /// <summary>The section's values as configuration keys (<c>bench:settings:host</c> = …), every member set.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> SectionValues { get; } =
    [
        new("bench:settings:host", "db.example.internal"),
        new("bench:settings:port", "6543"),
        new("bench:settings:enabled", "true"),
        new("bench:settings:ratio", "0.75"),
        new("bench:settings:maxBytes", "1073741824"),
        new("bench:settings:price", "19.99"),
        new("bench:settings:mode", "ReadWrite"),
        new("bench:settings:timeout", "00:00:30"),
        new("bench:settings:id", "6f1c2a4e-8d3b-4c7a-9e2f-1a2b3c4d5e6f"),
        new("bench:settings:description", "primary database"),
        new("bench:settings:retry:count", "5"),
        new("bench:settings:retry:delay", "00:00:01.5"),
        new("bench:settings:tags:0", "blue"),
        new("bench:settings:tags:1", "green"),
        new("bench:settings:tags:2", "canary"),
        new("bench:settings:replicas:0:host", "r1.example.internal"),
        new("bench:settings:replicas:0:port", "6544"),
        new("bench:settings:replicas:1:host", "r2.example.internal"),
        new("bench:settings:replicas:1:port", "6545"),
        new("bench:settings:limits:reads", "1000"),
        new("bench:settings:limits:writes", "100"),
        new("bench:settings:limits:connections", "50"),
    ];

    /// <summary>
    /// <paramref name="count"/> keys outside the section, spread over 100 top-level sections of 4 levels
    /// (<c>filler042:group007:item00123:value</c>), like a large application's configuration.
    /// </summary>
    /// <param name="count">How many keys.</param>
    public static IEnumerable<KeyValuePair<string, string>> UnrelatedValues(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"filler{i % 100:D3}:group{i / 100 % 50:D3}:item{i:D6}:value");
            yield return new(key, string.Create(CultureInfo.InvariantCulture, $"value {i}"));
        }
    }
}
