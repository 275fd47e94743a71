using System.Collections;
using System.Globalization;
using System.Reflection;
using CsCheck;
using Microsoft.Extensions.Configuration;

namespace Valkeyrie.Binding.Tests;

/// <summary>One configuration entry relative to a section: <c>Member:0:Name</c> = text.</summary>
public sealed record Entry(string Key, string? Value)
{
    public override string ToString() => Key + "=" + (Value is null ? "(null)" : "\"" + Value + "\"");
}

/// <summary>
/// Generates configuration for a section type by walking its members: every scalar gets well-formed invariant text,
/// text formatted in the current culture, or text that is tricky for some parser; collections and dictionaries get
/// a few items (sometimes an empty value); nested objects a random subset of their members.
/// </summary>
public static class ConfigurationGen
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // Text that some parser somewhere treats specially.
    private static readonly string[] Tricky =
    [
        "", " ", "0", "-0", "+7", " 42 ", "1,5", "2,5", "1.5", "1,000.5", "1.000,5", "1 000", "0x1F", "#1F", "&h1F", "1e3", "1E-3",
        "NaN", "Infinity", "-Infinity", "∞", "true", "True", "FALSE", "yes", "a", "ab", " a", "Read, Write", "Read|Write", "on", "ON", "2",
        "00:00:05", "1.02:03:04.5", "5", "2024-05-01", "2024-05-01T13:45:00Z", "2024-05-01T13:45:00+02:00", "05/01/2024", "13:45",
        "https://example.com/a", "relative/path", "::", "1.2.3.4", "1.2", "AQID", "not base64!", "0f8fad5b-d9cb-469f-a165-70867728950e",
        "{0f8fad5b-d9cb-469f-a165-70867728950e}", "99999999999999999999999999999999999999999",
    ];

    private static readonly string[] DictionaryKeys = ["a", "B", "7", "007", "key-1", "Ünïcödé", "x y"];

    public static Gen<List<Entry>> ForSection(Type type) => ForObject(type, string.Empty, depth: 0);

    /// <summary>Each top-level member's entries separately, so a difference can be attributed to one member.</summary>
    public static Gen<List<(string Member, List<Entry> Entries)>> PerMember(Type type)
    {
        var members = Members(type).ToList();
        Gen<List<(string, List<Entry>)>> result = Gen.Const(new List<(string, List<Entry>)>());
        foreach (var member in members)
        {
            var entries = Optional(ForValue(member.Type, member.Key, 1));
            result = Gen.Select<List<(string, List<Entry>)>, List<Entry>, List<(string, List<Entry>)>>(result, entries, (list, e) => e.Count == 0 ? list : [.. list, (member.Key, e)]);
        }

        return result;
    }

    public static IEnumerable<(string Key, Type Type, PropertyInfo Property)> Members(Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.Name == "EqualityContract")
            {
                continue;
            }

            var key = property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;
            yield return (key, property.PropertyType, property);
        }
    }

    private static Gen<List<Entry>> Optional(Gen<List<Entry>> gen) =>
        Pick((2, Gen.Const(new List<Entry>())), (3, gen));

    private static Gen<List<Entry>> ForObject(Type type, string path, int depth)
    {
        Gen<List<Entry>> result = Gen.Const(new List<Entry>());
        foreach (var member in Members(type))
        {
            var child = Optional(ForValue(member.Type, Join(path, member.Key), depth + 1));
            result = Concat(result, child);
        }

        return result;
    }

    private static Gen<List<Entry>> ForValue(Type type, string path, int depth)
    {
        var core = Nullable.GetUnderlyingType(type) ?? type;
        if (IsScalar(core))
        {
            return Text(core).Select(text => new List<Entry> { new(path, text) });
        }

        if (depth > 4)
        {
            return Gen.Const(new List<Entry>());
        }

        if (DictionaryValueType(core) is { } valueType)
        {
            var entry = Gen.Int[0, DictionaryKeys.Length - 1].SelectMany(k => ForValue(valueType, Join(path, DictionaryKeys[k]), depth + 1));
            return Pick(
                (1, Gen.Const(new List<Entry> { new(path, string.Empty) })),
                (6, entry.List[0, 3].Select(lists => lists.SelectMany(l => l).ToList())));
        }

        if (ElementType(core) is { } elementType)
        {
            // Indexes are mostly 0..n-1, sometimes sparse, sometimes not numbers at all.
            var index = Pick((8, Gen.Int[0, 3].Select(i => i.ToString(Inv))), (1, Gen.Int[4, 12].Select(i => i.ToString(Inv))), (1, Gen.Const("x")));
            var items = Gen.Int[0, 3].SelectMany(count =>
            {
                Gen<List<Entry>> all = Gen.Const(new List<Entry>());
                for (var i = 0; i < count; i++)
                {
                    var position = i;
                    var item = Pick((6, Gen.Const(position.ToString(Inv))), (1, index)).SelectMany(name => ForValue(elementType, Join(path, name), depth + 1));
                    all = Concat(all, item);
                }

                return all;
            });
            return Pick((1, Gen.Const(new List<Entry> { new(path, string.Empty) })), (6, items));
        }

        return Pick((1, Gen.Const(new List<Entry> { new(path, "5") })), (12, ForObject(core, path, depth)));
    }

    public static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(Half) || type == typeof(Int128)
        || type == typeof(UInt128) || type == typeof(Guid) || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly)
        || type == typeof(TimeOnly) || type == typeof(TimeSpan) || type == typeof(Uri) || type == typeof(Version) || type == typeof(byte[]);

    public static Type? DictionaryValueType(Type type)
    {
        var dictionary = type.IsGenericType && type.GetGenericTypeDefinition() is var d
            && (d == typeof(Dictionary<,>) || d == typeof(IDictionary<,>) || d == typeof(IReadOnlyDictionary<,>));
        return dictionary ? type.GetGenericArguments()[1] : null;
    }

    public static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        return type.IsGenericType && type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) && DictionaryValueType(type) is null
            ? type.GetGenericArguments()[0]
            : null;
    }

    private static Gen<string> Text(Type type)
    {
        var wellFormed = WellFormed(type);
        return Pick(
            (4, wellFormed.Select(v => Format(v, Inv))),
            (2, wellFormed.Select(v => Format(v, CultureInfo.CurrentCulture))),
            (3, Gen.Int[0, Tricky.Length - 1].Select(i => Tricky[i])),
            (1, Gen.String[Gen.Char.AlphaNumeric, 0, 4]));
    }

    private static string Format(object value, CultureInfo culture) => value switch
    {
        bool b => b ? "true" : "false",
        DateTime d => culture == Inv ? d.ToString("O", Inv) : d.ToString(culture),
        DateTimeOffset d => culture == Inv ? d.ToString("O", Inv) : d.ToString(culture),
        byte[] bytes => Convert.ToBase64String(bytes),
        double d => d.ToString(culture == Inv ? "R" : "G", culture),
        IFormattable f => f.ToString(null, culture),
        _ => value.ToString() ?? string.Empty,
    };

    private static Gen<object> WellFormed(Type type)
    {
        if (type.IsEnum)
        {
            var values = Enum.GetValues(type).Cast<object>().ToArray();
            return Pick(
                (3, Gen.Int[0, values.Length - 1].Select(i => values[i])),
                (1, Gen.Int[0, 7].Select(i => Enum.ToObject(type, i))));
        }

        return type switch
        {
            _ when type == typeof(string) => Gen.String[Gen.Char.AlphaNumeric, 0, 6].Select(s => (object)s),
            _ when type == typeof(bool) => Gen.Bool.Select(b => (object)b),
            _ when type == typeof(byte) => Gen.Byte.Select(v => (object)v),
            _ when type == typeof(sbyte) => Gen.SByte.Select(v => (object)v),
            _ when type == typeof(short) => Gen.Short.Select(v => (object)v),
            _ when type == typeof(ushort) => Gen.UShort.Select(v => (object)v),
            _ when type == typeof(int) => Gen.Int.Select(v => (object)v),
            _ when type == typeof(uint) => Gen.UInt.Select(v => (object)v),
            _ when type == typeof(long) => Gen.Long.Select(v => (object)v),
            _ when type == typeof(ulong) => Gen.ULong.Select(v => (object)v),
            _ when type == typeof(Int128) => Gen.Int128.Select(v => (object)v),
            _ when type == typeof(UInt128) => Gen.UInt128.Select(v => (object)v),
            _ when type == typeof(nint) => Gen.Long.Select(v => (object)(nint)v),
            _ when type == typeof(nuint) => Gen.ULong.Select(v => (object)(nuint)v),
            _ when type == typeof(Half) => Gen.Int[-2000, 2000].Select(v => (object)(Half)(v / 8.0)),
            _ when type == typeof(float) => Gen.Int[-100000, 100000].Select(v => (object)(v / 64f)),
            _ when type == typeof(double) => Pick((3, Gen.Int[-100000, 100000].Select(v => v / 64.0)), (1, Gen.Double)).Select(v => (object)v),
            _ when type == typeof(decimal) => Gen.Int[-1000000, 1000000].Select(v => (object)(v / 100m)),
            _ when type == typeof(char) => Gen.Char.AlphaNumeric.Select(v => (object)v),
            _ when type == typeof(Guid) => Gen.Guid.Select(v => (object)v),
            _ when type == typeof(DateTime) => Gen.DateTime.Select(v => (object)v),
            _ when type == typeof(DateTimeOffset) => Gen.DateTimeOffset.Select(v => (object)v),
            _ when type == typeof(DateOnly) => Gen.DateOnly.Select(v => (object)v),
            _ when type == typeof(TimeOnly) => Gen.TimeOnly.Select(v => (object)v),
            _ when type == typeof(TimeSpan) => Gen.TimeSpan.Select(v => (object)v),
            _ when type == typeof(Uri) => Gen.OneOf<object>("https://example.com/a?b=1", "relative/path", "/rooted", "mailto:x@example.com"),
            _ when type == typeof(Version) => Gen.Int[0, 9].Array[2, 4].Select(parts => (object)string.Join('.', parts)),
            _ when type == typeof(byte[]) => Gen.Byte.Array[0, 6].Select(v => (object)v),
            _ => throw new NotSupportedException(type.Name),
        };
    }

    private static Gen<T> Pick<T>(params (int Weight, Gen<T> Gen)[] options) =>
        Gen.Frequency(options.Select(o => (o.Weight, (IGen<T>)o.Gen)).ToArray());

    private static Gen<List<Entry>> Concat(Gen<List<Entry>> first, Gen<List<Entry>> second) =>
        Gen.Select<List<Entry>, List<Entry>, List<Entry>>(first, second, (a, b) => [.. a, .. b]);

    private static string Join(string path, string key) => path.Length == 0 ? key : path + ":" + key;
}
