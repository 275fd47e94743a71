namespace Valkeyrie.Generators.Tests;

/// <summary>Section declarations used by the snapshot and compilation tests, one per feature.</summary>
internal static class Sources
{
    public const string Basic = """
        using System;
        using System.Collections.Generic;
        using Valkeyrie.Sections;

        namespace MyApp;

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
            [KvIgnore] public string ConnectionString => $"{Host}:{Port}";
        }

        public class RetrySettings
        {
            public int Count { get; set; } = 3;
            public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(200);
        }
        """;

    public const string AllScalars = """
        using System;
        using Valkeyrie.Sections;

        namespace MyApp;

        public enum Mode { Off, On, Auto }

        [Flags]
        public enum Features { None = 0, A = 1, B = 2 }

        [KvSection("app/scalars")]
        public partial class Scalars
        {
            public string Text { get; set; } = "";
            public string? OptionalText { get; set; }
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
            public decimal Decimal { get; set; }
            public char Char { get; set; }
            public Mode Mode { get; set; }
            public Features Features { get; set; }
            public Guid Guid { get; set; }
            public DateTime DateTime { get; set; }
            public DateTimeOffset DateTimeOffset { get; set; }
            public DateOnly DateOnly { get; set; }
            public TimeOnly TimeOnly { get; set; }
            public TimeSpan TimeSpan { get; set; }
            public Uri? Uri { get; set; }
            public Version? Version { get; set; }
            public byte[]? Bytes { get; set; }
            public int? NullableInt32 { get; set; }
            public bool? NullableFlag { get; set; }
            public Mode? NullableMode { get; set; }
            public Guid? NullableGuid { get; set; }
            public DateTimeOffset? NullableDateTimeOffset { get; set; }
            public TimeSpan? NullableTimeSpan { get; set; }
            public double? NullableDouble { get; set; }
        }
        """;

    public const string Collections = """
        using System.Collections.Generic;
        using Valkeyrie.Sections;

        namespace MyApp;

        public class Endpoint
        {
            public string Host { get; set; } = "";
            public int Port { get; set; }
        }

        [KvSection("app/collections")]
        public partial class CollectionSettings
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
        }
        """;

    public const string Records = """
        using System.Collections.Generic;
        using Valkeyrie.Sections;

        namespace MyApp;

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

        [KvSection("app/records")]
        public partial record ServiceSettings(string Name, [property: KvKey("svc-port")] int Port)
        {
            public required string Owner { get; init; }
            public string Region { get; init; } = "eu";
            public Credentials? Credentials { get; set; }
            public Limits Limits { get; set; } = new(100);
            public List<Credentials> Extra { get; init; } = [];
        }
        """;

    public const string NamingPolicies = """
        using Valkeyrie.Sections;

        namespace MyApp;

        public class Nested
        {
            public int RetryCount { get; set; }
        }

        [KvSection("app/kebab", NamingPolicy = KvNamingPolicy.KebabCase)]
        public partial class KebabSettings
        {
            public string HTTPServerName { get; set; } = "";
            public int ConnectTimeoutMs { get; set; }
            public Nested NestedValue { get; set; } = new();
            [KvKey("Explicit")] public int Overridden { get; set; }
        }

        [KvSection("app/snake", NamingPolicy = KvNamingPolicy.SnakeCase)]
        public partial class SnakeSettings
        {
            public string HTTPServerName { get; set; } = "";
            public int ConnectTimeoutMs { get; set; }
        }

        [KvSection("app/camel", NamingPolicy = KvNamingPolicy.CamelCase)]
        public partial class CamelSettings
        {
            public string HTTPServerName { get; set; } = "";
            public int ConnectTimeoutMs { get; set; }
        }
        """;

    public const string NestingAndNamespaces = """
        using Valkeyrie.Sections;

        [KvSection("/global/section/")]
        public partial class GlobalSettings
        {
            public int Value { get; set; }
            public string @class { get; set; } = "";
        }

        namespace Outer.Inner
        {
            public static partial class Container
            {
                public partial class Middle
                {
                    [KvSection("nested/section")]
                    internal partial record NestedSettings
                    {
                        public string Name { get; set; } = "";
                    }
                }
            }
        }
        """;

    public const string Json = """
        using System;
        using System.Collections.Generic;
        using System.Text.Json;
        using System.Text.Json.Serialization;
        using System.Text.Json.Serialization.Metadata;
        using Valkeyrie.Sections;

        namespace MyApp;

        public class Rule
        {
            public string Pattern { get; set; } = "";
            public List<int> Codes { get; set; } = [];
        }

        public struct Point
        {
            public int X { get; set; }
            public int Y { get; set; }
        }

        // Stands in for a System.Text.Json source-generated context (another generator's output is not visible here).
        public sealed class AppJsonContext : JsonSerializerContext
        {
            public AppJsonContext() : base(null) { }
            public static AppJsonContext Default { get; } = new();
            protected override JsonSerializerOptions? GeneratedSerializerOptions => null;
            public override JsonTypeInfo? GetTypeInfo(Type type) => null;
        }

        [KvSection("app/json")]
        public partial class JsonSettings
        {
            [KvJson] public Dictionary<string, string[]> Routes { get; set; } = new();
            [KvJson] public List<Rule>? Rules { get; set; }
            [KvJson] public Rule Single { get; set; } = new();
            [KvJson(typeof(AppJsonContext))] public Point Origin { get; set; }
            [KvJson(typeof(AppJsonContext))] public Point? Target { get; set; }
        }
        """;
}
