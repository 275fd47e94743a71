namespace Valkeyrie.Generators.IntegrationTests;

/// <summary>Sections filled with edge values of every supported type, and the assertions that compare them.</summary>
internal static class Samples
{
    public static ScalarSection Scalars() => new()
    {
        Text = "héllo wörld / with: colons",
        Flag = true,
        Byte = byte.MaxValue,
        SByte = sbyte.MinValue,
        Int16 = short.MinValue,
        UInt16 = ushort.MaxValue,
        Int32 = int.MinValue,
        UInt32 = uint.MaxValue,
        Int64 = long.MinValue,
        UInt64 = ulong.MaxValue,
        NInt = -42,
        NUInt = 42,
        Int128 = Int128.MaxValue,
        UInt128 = UInt128.MaxValue,
        Half = (Half)1.5,
        Single = 1.5e-7f,
        Double = 0.1 + 0.2,
        NotANumber = double.NaN,
        Decimal = 79228162514264337593543950335m,
        Char = 'é',
        Color = Color.Blue,
        Permissions = Permissions.Read | Permissions.Admin,
        Guid = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
        DateTime = new DateTime(2024, 5, 1, 13, 45, 7, DateTimeKind.Utc).AddTicks(1234567),
        DateTimeOffset = new DateTimeOffset(2024, 5, 1, 13, 45, 7, TimeSpan.FromHours(2)).AddTicks(89),
        DateOnly = new DateOnly(1999, 12, 31),
        TimeOnly = new TimeOnly(23, 59, 58).Add(TimeSpan.FromTicks(1234567)),
        TimeSpan = -TimeSpan.FromDays(1.5).Add(TimeSpan.FromTicks(3)),
        AbsoluteUri = new Uri("https://example.com/a?b=c#d"),
        RelativeUri = new Uri("../relative/path", UriKind.Relative),
        Version = new Version(1, 2, 3, 4),
        Bytes = [0, 1, 2, 250, 255],
        NullableInt32 = 7,
        NullableFlag = false,
        NullableColor = Color.Green,
        NullableGuid = Guid.Empty,
        NullableDateTimeOffset = DateTimeOffset.UnixEpoch,
        NullableTimeSpan = TimeSpan.Zero,
        NullableDateOnly = DateOnly.MaxValue,
        NullableDecimal = -0.001m,
    };

    public static void AssertEqual(ScalarSection expected, ScalarSection actual)
    {
        Assert.Equal(expected.Text, actual.Text);
        Assert.Null(actual.Missing);
        Assert.Equal(expected.Flag, actual.Flag);
        Assert.Equal(expected.Byte, actual.Byte);
        Assert.Equal(expected.SByte, actual.SByte);
        Assert.Equal(expected.Int16, actual.Int16);
        Assert.Equal(expected.UInt16, actual.UInt16);
        Assert.Equal(expected.Int32, actual.Int32);
        Assert.Equal(expected.UInt32, actual.UInt32);
        Assert.Equal(expected.Int64, actual.Int64);
        Assert.Equal(expected.UInt64, actual.UInt64);
        Assert.Equal(expected.NInt, actual.NInt);
        Assert.Equal(expected.NUInt, actual.NUInt);
        Assert.Equal(expected.Int128, actual.Int128);
        Assert.Equal(expected.UInt128, actual.UInt128);
        Assert.Equal(expected.Half, actual.Half);
        Assert.Equal(expected.Single, actual.Single);
        Assert.Equal(expected.Double, actual.Double);
        Assert.True(double.IsNaN(actual.NotANumber));
        Assert.Equal(expected.Decimal, actual.Decimal);
        Assert.Equal(expected.Char, actual.Char);
        Assert.Equal(expected.Color, actual.Color);
        Assert.Equal(expected.Permissions, actual.Permissions);
        Assert.Equal(expected.Guid, actual.Guid);
        Assert.Equal(expected.DateTime, actual.DateTime);
        Assert.Equal(expected.DateTime.Kind, actual.DateTime.Kind);
        Assert.Equal(expected.DateTimeOffset, actual.DateTimeOffset);
        Assert.Equal(expected.DateTimeOffset.Offset, actual.DateTimeOffset.Offset);
        Assert.Equal(expected.DateOnly, actual.DateOnly);
        Assert.Equal(expected.TimeOnly, actual.TimeOnly);
        Assert.Equal(expected.TimeSpan, actual.TimeSpan);
        Assert.Equal(expected.AbsoluteUri, actual.AbsoluteUri);
        Assert.Equal(expected.RelativeUri, actual.RelativeUri);
        Assert.False(actual.RelativeUri!.IsAbsoluteUri);
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.Bytes, actual.Bytes);
        Assert.Equal(expected.NullableInt32, actual.NullableInt32);
        Assert.Null(actual.NullableMissing);
        Assert.Equal(expected.NullableFlag, actual.NullableFlag);
        Assert.Equal(expected.NullableColor, actual.NullableColor);
        Assert.Equal(expected.NullableGuid, actual.NullableGuid);
        Assert.Equal(expected.NullableDateTimeOffset, actual.NullableDateTimeOffset);
        Assert.Equal(expected.NullableTimeSpan, actual.NullableTimeSpan);
        Assert.Equal(expected.NullableDateOnly, actual.NullableDateOnly);
        Assert.Equal(expected.NullableDecimal, actual.NullableDecimal);
    }

    public static CollectionSection Collections() => new()
    {
        Numbers = [.. Enumerable.Range(0, 12)],
        Names = ["a", "b", "c"],
        Weights = [0.5, 1.5],
        Optional = ["x", null, "y"],
        Ids = [long.MaxValue, 1],
        Tags = ["red", "green"],
        Limits = new() { ["read"] = 10, ["write"] = 2 },
        Labels = new Dictionary<string, string> { ["env"] = "prod", ["Team Name"] = "core" },
        Endpoints = [new() { Host = "a", Port = 1 }, new() { Host = "b", Port = 2 }],
        NamedEndpoints = new() { ["primary"] = new() { Host = "p", Port = 5432 } },
        Groups = new() { ["odd"] = [1, 3], ["even"] = [2, 4] },
        Matrix = [[1, 2], [3, 4]],
        DefaultedList = [],
    };

    public static void AssertEqual(CollectionSection expected, CollectionSection actual)
    {
        Assert.Equal(expected.Numbers, actual.Numbers);
        Assert.Equal(expected.Names, actual.Names);
        Assert.Equal(expected.Weights, actual.Weights);
        Assert.Equal(["x", "y"], actual.Optional); // null items are not stored
        Assert.Equal(expected.Ids, actual.Ids);
        Assert.Equal(expected.Tags.Order(), actual.Tags.Order());
        Assert.Equal(expected.Limits.OrderBy(p => p.Key), actual.Limits.OrderBy(p => p.Key));
        Assert.Equal(expected.Labels.OrderBy(p => p.Key), actual.Labels.OrderBy(p => p.Key));
        Assert.Equal(expected.Endpoints.Select(e => (e.Host, e.Port)), actual.Endpoints.Select(e => (e.Host, e.Port)));
        Assert.Equal(5432, actual.NamedEndpoints["primary"].Port);
        Assert.Equal(expected.Groups["odd"], actual.Groups["odd"]);
        Assert.Equal(expected.Groups["even"], actual.Groups["even"]);
        Assert.Equal(expected.Matrix, actual.Matrix);
        Assert.Empty(actual.DefaultedList); // an emptied collection stays empty instead of returning to its default
    }

    public static RecordSection Record() => new("orders", 8080)
    {
        Owner = "team-a",
        Region = "us",
        Credentials = new Credentials("svc", 3),
        Limits = new Limits(5, "rps") { Burst = 7 },
        Extra = [new Credentials("x"), new Credentials("y", 2)],
    };

    public static JsonSection Json() => new()
    {
        Routes = new() { ["/api"] = ["a", "b"], ["/ünïcode"] = ["\"quoted\"", "line\nbreak"] },
        Rules = [new Rule { Pattern = "*.txt", Codes = [200, 404], Weight = double.PositiveInfinity }],
        Single = new Rule { Pattern = "x", Codes = [], Weight = -0.25 },
        Origin = new GeoPoint { Lat = 48.85, Lon = 2.35 },
    };

    public static void AssertEqual(JsonSection expected, JsonSection actual)
    {
        Assert.Equal(expected.Routes.Keys.Order(), actual.Routes.Keys.Order());
        Assert.Equal(expected.Routes["/ünïcode"], actual.Routes["/ünïcode"]);
        var rule = Assert.Single(actual.Rules!);
        Assert.Equal("*.txt", rule.Pattern);
        Assert.Equal([200, 404], rule.Codes);
        Assert.Equal(double.PositiveInfinity, rule.Weight);
        Assert.Equal(-0.25, actual.Single.Weight);
        Assert.Empty(actual.Single.Codes);
        Assert.Equal(expected.Origin, actual.Origin);
    }

    /// <summary>What a configuration provider over the store would hand out: store keys with ':' separators.</summary>
    public static Dictionary<string, string?> AsConfiguration(IEnumerable<KvPair> pairs) =>
        pairs.ToDictionary(p => p.Key.Replace('/', ':'), p => (string?)p.ValueAsString);
}
