using System.Globalization;

namespace Valkeyrie.Benchmarks.Sections;

/// <summary>The configuration data the binding benchmarks use: the section's keys and unrelated filler keys.</summary>
public static class BenchData
{
    /// <summary>The section's values as configuration keys (<c>bench:settings:Host</c> = …), named as the generator names them, every member set.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> SectionValues { get; } =
    [
        new("bench:settings:Host", "db.example.internal"),
        new("bench:settings:Port", "6543"),
        new("bench:settings:Enabled", "true"),
        new("bench:settings:Ratio", "0.75"),
        new("bench:settings:MaxBytes", "1073741824"),
        new("bench:settings:Price", "19.99"),
        new("bench:settings:Mode", "ReadWrite"),
        new("bench:settings:Timeout", "00:00:30"),
        new("bench:settings:Id", "6f1c2a4e-8d3b-4c7a-9e2f-1a2b3c4d5e6f"),
        new("bench:settings:Description", "primary database"),
        new("bench:settings:Retry:Count", "5"),
        new("bench:settings:Retry:Delay", "00:00:01.5"),
        new("bench:settings:Tags:0", "blue"),
        new("bench:settings:Tags:1", "green"),
        new("bench:settings:Tags:2", "canary"),
        new("bench:settings:Replicas:0:Host", "r1.example.internal"),
        new("bench:settings:Replicas:0:Port", "6544"),
        new("bench:settings:Replicas:1:Host", "r2.example.internal"),
        new("bench:settings:Replicas:1:Port", "6545"),
        new("bench:settings:Limits:reads", "1000"),
        new("bench:settings:Limits:writes", "100"),
        new("bench:settings:Limits:connections", "50"),
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
