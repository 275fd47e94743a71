using System.Text.Json.Serialization;
using Valkeyrie.Sections;

namespace Valkeyrie.AotSmoke;

internal enum Mode { Off, On }

internal sealed class Retry
{
    public int Count { get; set; } = 3;
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(200);
}

internal sealed record Replica(string Host, int Port = 5432);

internal struct Point
{
    public int X { get; set; }
    public int Y { get; set; }
}

[JsonSerializable(typeof(Point))]
internal sealed partial class SmokeJsonContext : JsonSerializerContext;

[KvSection("smoke/db", NamingPolicy = KvNamingPolicy.KebabCase)]
internal sealed partial class SmokeSettings
{
    public string Host { get; set; } = "localhost";
    public int Port { get; set; } = 5432;
    public Mode Mode { get; set; }
    public Guid Id { get; set; }
    public DateTimeOffset Since { get; set; }
    public Uri? Endpoint { get; set; }
    public byte[]? Key { get; set; }
    public Retry Retry { get; set; } = new();
    public List<Replica> Replicas { get; set; } = [];
    public Dictionary<string, int> Limits { get; set; } = new();
    [KvJson] public Dictionary<string, string[]> Routes { get; set; } = new();
    [KvJson(typeof(SmokeJsonContext))] public Point Origin { get; set; }
}
