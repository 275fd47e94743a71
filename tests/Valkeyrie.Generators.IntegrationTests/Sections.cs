using System.Text.Json.Serialization;
using Valkeyrie.Sections;

namespace Valkeyrie.Generators.IntegrationTests;

public enum Color { Red, Green, Blue }

[Flags]
public enum Permissions { None = 0, Read = 1, Write = 2, Admin = 4 }

[KvSection("it/scalars")]
public partial class ScalarSection
{
    public string Text { get; set; } = "";
    public string? Missing { get; set; }
    public bool Flag { get; set; }
    public byte Byte { get; set; }
    public sbyte SByte { get; set; }
    public short Int16 { get; set; }
    public ushort UInt16 { get; set; }
    public int Int32 { get; set; }
    public uint UInt32 { get; set; }
    public long Int64 { get; set; }
    public ulong UInt64 { get; set; }
    public nint NInt { get; set; }
    public nuint NUInt { get; set; }
    public Int128 Int128 { get; set; }
    public UInt128 UInt128 { get; set; }
    public Half Half { get; set; }
    public float Single { get; set; }
    public double Double { get; set; }
    public double NotANumber { get; set; }
    public decimal Decimal { get; set; }
    public char Char { get; set; }
    public Color Color { get; set; }
    public Permissions Permissions { get; set; }
    public Guid Guid { get; set; }
    public DateTime DateTime { get; set; }
    public DateTimeOffset DateTimeOffset { get; set; }
    public DateOnly DateOnly { get; set; }
    public TimeOnly TimeOnly { get; set; }
    public TimeSpan TimeSpan { get; set; }
    public Uri? AbsoluteUri { get; set; }
    public Uri? RelativeUri { get; set; }
    public Version? Version { get; set; }
    public byte[]? Bytes { get; set; }
    public int? NullableInt32 { get; set; }
    public int? NullableMissing { get; set; }
    public bool? NullableFlag { get; set; }
    public Color? NullableColor { get; set; }
    public Guid? NullableGuid { get; set; }
    public DateTimeOffset? NullableDateTimeOffset { get; set; }
    public TimeSpan? NullableTimeSpan { get; set; }
    public DateOnly? NullableDateOnly { get; set; }
    public decimal? NullableDecimal { get; set; }
}

public sealed class Endpoint
{
    public string Host { get; set; } = "";
    public int Port { get; set; }
}

[KvSection("it/collections")]
public partial class CollectionSection
{
    public int[] Numbers { get; set; } = [];
    public List<string> Names { get; set; } = [];
    public IList<double> Weights { get; set; } = new List<double>();
    public IReadOnlyList<string?> Optional { get; set; } = [];
    public IEnumerable<long> Ids { get; set; } = [];
    public HashSet<string> Tags { get; set; } = [];
    public Dictionary<string, int> Limits { get; set; } = new();
    public IReadOnlyDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>();
    public List<Endpoint> Endpoints { get; set; } = [];
    public Dictionary<string, Endpoint> NamedEndpoints { get; set; } = new();
    public Dictionary<string, List<int>> Groups { get; set; } = new();
    public List<int[]>? Matrix { get; set; }
    public List<string> DefaultedList { get; set; } = ["default"];
}

public sealed record Credentials(string User, int Level = 1);

public sealed class Limits
{
    public Limits(int max, string unit = "req")
    {
        Max = max;
        Unit = unit;
    }

    public int Max { get; }

    public string Unit { get; }

    public int Burst { get; init; } = 10;
}

[KvSection("it/records")]
public partial record RecordSection(string Name, [property: KvKey("svc-port")] int Port)
{
    public required string Owner { get; init; }

    public string Region { get; init; } = "eu";

    public Credentials? Credentials { get; set; }

    public Limits Limits { get; set; } = new(100);

    public List<Credentials> Extra { get; init; } = [];
}

public sealed class Rule
{
    public string Pattern { get; set; } = "";
    public List<int> Codes { get; set; } = [];
    public double Weight { get; set; }
}

public struct GeoPoint
{
    public double Lat { get; set; }
    public double Lon { get; set; }
}

[JsonSerializable(typeof(GeoPoint))]
internal sealed partial class TestJsonContext : JsonSerializerContext;

[KvSection("it/json")]
public partial class JsonSection
{
    [KvJson] public Dictionary<string, string[]> Routes { get; set; } = new();
    [KvJson] public List<Rule>? Rules { get; set; }
    [KvJson] public Rule Single { get; set; } = new();
    [KvJson(typeof(TestJsonContext))] public GeoPoint Origin { get; set; }
}

[KvSection("it/kebab", NamingPolicy = KvNamingPolicy.KebabCase)]
public partial class KebabSection
{
    public string HTTPServerName { get; set; } = "";
    public int ConnectTimeoutMs { get; set; }
    public Endpoint PrimaryEndpoint { get; set; } = new();
    [KvKey("Explicit")] public int Overridden { get; set; }
}

[KvSection("app/db")]
public partial class DbSettings
{
    public string Host { get; set; } = "localhost";
    public int Port { get; set; } = 5432;
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);
    public RetrySettings Retry { get; set; } = new();
    public List<string> Replicas { get; set; } = [];
    [KvKey("pool-size")] public int PoolSize { get; set; }
    [KvJson] public Dictionary<string, string[]> Routes { get; set; } = new();
    public string? Password { get; set; }
    [KvIgnore] public string ConnectionString => $"{Host}:{Port}";
}

public class RetrySettings
{
    public int Count { get; set; } = 3;
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(200);
}

public static partial class Holder
{
    [KvSection("it/nested")]
    public partial class NestedSection
    {
        public string Name { get; set; } = "";
    }
}
