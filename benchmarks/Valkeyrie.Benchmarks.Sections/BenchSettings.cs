using Valkeyrie.Sections;

namespace Valkeyrie.Benchmarks.Sections;

/// <summary>How the benchmarked service runs; bound by name.</summary>
public enum BenchMode
{
    /// <summary>Off.</summary>
    Off,

    /// <summary>Read-only.</summary>
    ReadOnly,

    /// <summary>Read and write.</summary>
    ReadWrite,
}

/// <summary>A nested object member.</summary>
public sealed class BenchRetry
{
    /// <summary>Attempts.</summary>
    public int Count { get; set; } = 3;

    /// <summary>Pause between attempts.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(200);
}

/// <summary>An element of a list of objects.</summary>
public sealed class BenchReplica
{
    /// <summary>Host name.</summary>
    public string Host { get; set; } = "";

    /// <summary>Port.</summary>
    public int Port { get; set; }
}

/// <summary>
/// The 14-member section every binding benchmark binds: scalars, an enum, a TimeSpan, a nested object, a list of
/// strings, a list of objects and a dictionary. Valkeyrie's generator writes <c>Bind</c>; the reflection binder and
/// Microsoft's binding generator bind the same type through its public setters.
/// </summary>
[KvSection("bench/settings")]
public sealed partial class BenchSettings
{
    /// <summary>1: a string.</summary>
    public string Host { get; set; } = "localhost";

    /// <summary>2: an int.</summary>
    public int Port { get; set; } = 5432;

    /// <summary>3: a bool.</summary>
    public bool Enabled { get; set; }

    /// <summary>4: a double.</summary>
    public double Ratio { get; set; }

    /// <summary>5: a long.</summary>
    public long MaxBytes { get; set; }

    /// <summary>6: a decimal.</summary>
    public decimal Price { get; set; }

    /// <summary>7: an enum.</summary>
    public BenchMode Mode { get; set; }

    /// <summary>8: a TimeSpan.</summary>
    public TimeSpan Timeout { get; set; }

    /// <summary>9: a Guid.</summary>
    public Guid Id { get; set; }

    /// <summary>10: a nullable string.</summary>
    public string? Description { get; set; }

    /// <summary>11: a nested object.</summary>
    public BenchRetry Retry { get; set; } = new();

    /// <summary>12: a list of strings.</summary>
    public List<string> Tags { get; set; } = [];

    /// <summary>13: a list of objects.</summary>
    public List<BenchReplica> Replicas { get; set; } = [];

    /// <summary>14: a dictionary.</summary>
    public Dictionary<string, int> Limits { get; set; } = [];
}
