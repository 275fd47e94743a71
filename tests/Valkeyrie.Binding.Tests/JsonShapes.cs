using System.Text.Json.Serialization;
using Valkeyrie.Sections;

namespace Valkeyrie.Binding.Tests;

public struct Point
{
    public double X { get; set; }
    public double Y { get; set; }
}

[JsonSerializable(typeof(Point))]
internal sealed partial class PointContext : JsonSerializerContext;

[KvSection("json/expanded")]
public partial class ExpandedJsonShape
{
    [KvJson] public List<Leaf> Leaves { get; set; } = [];
}

[KvSection("json/context")]
public partial class ContextJsonShape
{
    [KvJson(typeof(PointContext))] public Point Origin { get; set; }
}
