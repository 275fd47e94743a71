using Microsoft.Extensions.Configuration;
using Valkeyrie.Sections;

namespace Valkeyrie.Binding.Tests;

// The section shapes the differential suite binds both ways. Members carry initializer defaults on purpose:
// what happens to a default when its key is present, absent or bad is where binders differ most.
public enum Mode { Off, On, Auto }

[Flags]
public enum Access { None = 0, Read = 1, Write = 2, Admin = 4 }

[KvSection("diff/scalars")]
public partial class ScalarShape
{
    public string Text { get; set; } = "initial";
    public string? NullableText { get; set; }
    public bool Flag { get; set; } = true;
    public byte Byte { get; set; } = 1;
    public sbyte SByte { get; set; } = -1;
    public short Int16 { get; set; } = 2;
    public ushort UInt16 { get; set; } = 3;
    public int Int32 { get; set; } = 5432;
    public uint UInt32 { get; set; } = 4;
    public long Int64 { get; set; } = 5;
    public ulong UInt64 { get; set; } = 6;
    public Int128 Int128 { get; set; } = 7;
    public UInt128 UInt128 { get; set; } = 8;
    public nint NInt { get; set; } = 9;
    public nuint NUInt { get; set; } = 10;
    public Half Half { get; set; } = (Half)0.5;
    public float Single { get; set; } = 0.25f;
    public double Double { get; set; } = 1.5;
    public decimal Decimal { get; set; } = 19.95m;
    public char Char { get; set; } = 'c';
    public Mode Mode { get; set; } = Mode.Auto;
    public Access Access { get; set; } = Access.Read;
    public Guid Guid { get; set; }
    public DateTime DateTime { get; set; }
    public DateTimeOffset DateTimeOffset { get; set; }
    public DateOnly DateOnly { get; set; }
    public TimeOnly TimeOnly { get; set; }
    public TimeSpan TimeSpan { get; set; } = TimeSpan.FromSeconds(5);
    public Uri? Uri { get; set; }
    public Version? Version { get; set; }
    public byte[]? Bytes { get; set; }
}

[KvSection("diff/nullables")]
public partial class NullableShape
{
    public bool? Flag { get; set; }
    public int? Int32 { get; set; }
    public long? Int64 { get; set; } = 42;
    public double? Double { get; set; }
    public decimal? Decimal { get; set; }
    public Mode? Mode { get; set; }
    public Access? Access { get; set; }
    public Guid? Guid { get; set; }
    public TimeSpan? TimeSpan { get; set; }
    public DateOnly? DateOnly { get; set; }
    public DateTimeOffset? DateTimeOffset { get; set; }
    public char? Char { get; set; }
}

public class Leaf
{
    public int Depth { get; set; } = 3;
    public string Name { get; set; } = "leaf";
    public double Weight { get; set; } = 0.5;
}

public class Middle
{
    public int Depth { get; set; } = 2;
    public Leaf Leaf { get; set; } = new() { Name = "from-middle" };
    public Leaf? Optional { get; set; }
}

public class Top
{
    public int Depth { get; set; } = 1;
    public Middle Middle { get; set; } = new();
    public List<Leaf> Leaves { get; set; } = [];
}

[KvSection("diff/nested")]
public partial class NestedShape
{
    public Top Top { get; set; } = new() { Depth = 10 };
    public Leaf? Missing { get; set; }
}

[KvSection("diff/collections")]
public partial class CollectionShape
{
    public int[] Array { get; set; } = [];
    public List<string> List { get; set; } = [];
    public IList<double> IList { get; set; } = new List<double>();
    public ICollection<long> ICollection { get; set; } = new List<long>();
    public IEnumerable<int> IEnumerable { get; set; } = [];
    public IReadOnlyList<string> IReadOnlyList { get; set; } = [];
    public IReadOnlyCollection<Mode> IReadOnlyCollection { get; set; } = [];
    public HashSet<string> HashSet { get; set; } = [];
    public ISet<int> ISet { get; set; } = new HashSet<int>();
    public IReadOnlySet<string> IReadOnlySet { get; set; } = new HashSet<string>();
    public List<Leaf> Objects { get; set; } = [];
    public List<int[]> Jagged { get; set; } = [];
    public List<string> Defaulted { get; set; } = ["default"];
    public int[]? NullableArray { get; set; }
}

[KvSection("diff/dictionaries")]
public partial class DictionaryShape
{
    public Dictionary<string, string> Strings { get; set; } = new();
    public IDictionary<string, int> Numbers { get; set; } = new Dictionary<string, int>();
    public IReadOnlyDictionary<string, double> ReadOnly { get; set; } = new Dictionary<string, double>();
    public Dictionary<string, Leaf> Objects { get; set; } = new();
    public Dictionary<string, List<int>> Lists { get; set; } = new();
    public Dictionary<string, string> Defaulted { get; set; } = new() { ["seed"] = "value" };
}

public class BaseSettings
{
    public string BaseName { get; set; } = "base";
    public virtual int Overridden { get; set; } = 1;
}

[KvSection("diff/members")]
public partial class MemberKindsShape : BaseSettings
{
    public override int Overridden { get; set; } = 2;
    public int InitOnly { get; init; } = 3;
    public string InitText { get; init; } = "init";
    [ConfigurationKeyName("renamed-key")] public int Renamed { get; set; } = 4;
}

[KvSection("diff/required")]
public partial class RequiredShape
{
    public required string Name { get; set; }
    public int Port { get; set; } = 80;
}

public record Endpoint(string Host, int Port = 443);

[KvSection("diff/records")]
public partial record RecordShape(string Name, int Count, Mode Mode = Mode.On)
{
    public Endpoint? Primary { get; set; }
    public List<Endpoint> Endpoints { get; set; } = [];
}
