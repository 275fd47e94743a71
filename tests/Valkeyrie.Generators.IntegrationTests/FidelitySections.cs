using Microsoft.Extensions.Configuration;
using Valkeyrie.Sections;

namespace Valkeyrie.Generators.IntegrationTests;

// Sections for the regressions of issue 16: each shape once bound silently wrong.
[KvSection("it/numbers")]
public partial class NumberSection
{
    public double Ratio { get; set; }
    public float Single { get; set; }
    public decimal Price { get; set; }
    public Half Half { get; set; }
    public List<double> Weights { get; set; } = [];
}

[KvSection("it/keyname")]
public partial class KeyNameSection
{
    [ConfigurationKeyName("conn-string")] public string Connection { get; set; } = "";
    [ConfigurationKeyName("max")] public int Maximum { get; set; }
}

public sealed class PoolSettings
{
    public int Max { get; set; } = 10;
    public int Min { get; set; } = 1;
    public LeaseSettings Lease { get; set; } = new();
}

public sealed class LeaseSettings
{
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(30);
    public int Renewals { get; set; } = 3;
}

[KvSection("it/defaults")]
public partial class NestedDefaultsSection
{
    public PoolSettings Pool { get; set; } = new() { Max = 50, Lease = new LeaseSettings { Renewals = 9 } };
}

[KvSection("it/dict")]
public partial class DictionarySection
{
    public Dictionary<string, string> Map { get; set; } = new();
    [KvJson] public Dictionary<string, int> JsonMap { get; set; } = new();
}

[KvSection("it/shapes")]
public partial class JsonShapeSection
{
    [KvJson] public List<int> Numbers { get; set; } = [];
    [KvJson] public List<Endpoint> Endpoints { get; set; } = [];
    [KvJson(typeof(TestJsonContext))] public GeoPoint Origin { get; set; }
}

[KvSection("it/empty")]
public partial class EmptyValuesSection
{
    public byte[]? Bytes { get; set; }
    public Uri? Link { get; set; }
}
