using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Valkeyrie.Sections;

namespace Valkeyrie.Binding.Tests;

/// <summary>
/// The deliberate differences from ConfigurationBinder, each as a rewrite of the configuration that removes its
/// trigger. A disagreement is explained when applying documented rewrites makes both binders agree; what no rewrite
/// explains is an undocumented difference. The ids are the rows of the table in docs/generator.md.
/// </summary>
public static class Differences
{
    public delegate List<Entry> Rewrite(ShapeCase shape, List<Entry> entries);

    // Specific rewrites first, so that a difference is named by its narrowest cause.
    public static readonly (string Id, Rewrite Apply)[] Rewrites =
    [
        ("required-members", (s, e) => AddRequired(s.Type, e)),
        ("native-integers", (s, e) => Drop(s, e, (t, v) => Core(t.Type) == typeof(nint) || Core(t.Type) == typeof(nuint))),
        ("empty-scalar-is-absent", (s, e) => Drop(s, e, (t, v) => v.Length == 0 && ConfigurationGen.IsScalar(Core(t.Type)) && Core(t.Type) != typeof(string) && Core(t.Type) != typeof(Uri) && Core(t.Type) != typeof(byte[]) && Nullable.GetUnderlyingType(t.Type) is null)),
        ("empty-uri", (s, e) => Drop(s, e, (t, v) => v.Length == 0 && Core(t.Type) == typeof(Uri))),
        ("empty-container", (s, e) => Drop(s, e, (t, v) => v.Length == 0 && KeyTypes.IsContainer(t.Type))),
        ("scalar-for-container", (s, e) => Drop(s, e, (t, v) => v.Length > 0 && KeyTypes.IsContainer(t.Type))),
        ("hex-integers", (s, e) => Drop(s, e, (t, v) => KeyTypes.IsInteger(t.Type) && IsHex(v))),
        ("enum-number-lists", (s, e) => Drop(s, e, (t, v) => Core(t.Type).IsEnum && v.Contains(',') && v.Split(',').Any(p => p.Trim().Length > 0 && char.IsAsciiDigit(p.Trim()[0])))),
        ("half-group-separators", (s, e) => Drop(s, e, (t, v) => Core(t.Type) == typeof(Half) && v.Contains(','))),
        ("whitespace-dates", (s, e) => Drop(s, e, (t, v) => v.Length > 0 && string.IsNullOrWhiteSpace(v) && IsDate(Core(t.Type)))),
        ("datetime-kind", (s, e) => Drop(s, e, (t, v) => Core(t.Type) == typeof(DateTime) && DateTime.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var d) && d.Kind != DateTimeKind.Unspecified)),
        ("iset-not-bound", (s, e) => Drop(s, e, (t, v) => IsSetInterface(t.TopMember?.PropertyType))),
        ("collections-replace", (s, e) => DropDefaultedCollections(s.Type, e)),
        ("bad-items-fail", DropFailingItems),
    ];

    public static string? Disagreement(ShapeCase shape, List<Entry> entries)
    {
        // Without values ConfigurationBinder returns null and the generated code the defaults (or a missing-value error).
        if (entries.All(e => e.Value is null))
        {
            return null;
        }

        var configuration = Binders.Configuration(shape.SectionPath, entries);
        var generated = shape.Generated(configuration);
        var microsoft = shape.Microsoft(configuration);
        if (generated.Error is not null || microsoft.Error is not null)
        {
            return (generated.Error is null) == (microsoft.Error is null) ? null : "generated: " + generated + "; ConfigurationBinder: " + microsoft;
        }

        // ConfigurationBinder returns null for a section without values; the generated code returns the defaults.
        if (microsoft.Value is null)
        {
            return entries.Count == 0 || entries.All(e => e.Value is null) ? null : "ConfigurationBinder returned null";
        }

        return DeepCompare.FirstDifference(microsoft.Value, generated.Value) is { } path ? "the values differ at '" + path + "'" : null;
    }

    /// <summary>The documented differences that explain a disagreement, or null when the disagreement is undocumented.</summary>
    public static List<string>? Explain(ShapeCase shape, List<Entry> entries)
    {
        var used = new List<string>();
        var current = entries;
        foreach (var (id, apply) in Rewrites)
        {
            var rewritten = apply(shape, current);
            if (rewritten.SequenceEqual(current))
            {
                continue;
            }

            used.Add(id);
            current = rewritten;
            if (Disagreement(shape, current) is null)
            {
                return used;
            }
        }

        return null;
    }

    private static Type Core(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    private static List<Entry> Drop(ShapeCase shape, List<Entry> entries, Func<KeyTypes.Target, string, bool> trigger) =>
        entries.Where(e => e.Value is null || KeyTypes.Resolve(shape.Type, e.Key) is not { } target || !trigger(target, e.Value)).ToList();

    // ConfigurationBinder swallows any failure inside a collection item or dictionary value and leaves the item out;
    // the generated code reports it. Remove each item the generated code fails on, innermost item first.
    private static List<Entry> DropFailingItems(ShapeCase shape, List<Entry> entries)
    {
        var prefix = shape.SectionPath.Replace('/', ':') + ":";
        var current = entries;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            if (shape.Generated(Binders.Configuration(shape.SectionPath, current)).Error is not KvBindingException { Path: { } path }
                || !path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                || KeyTypes.ItemPrefix(shape.Type, path[prefix.Length..]) is not { } item)
            {
                return current;
            }

            var next = current.Where(e => !(string.Equals(e.Key, item, StringComparison.OrdinalIgnoreCase) || e.Key.StartsWith(item + ":", StringComparison.OrdinalIgnoreCase))).ToList();
            if (next.Count == current.Count)
            {
                return current;
            }

            current = next;
        }

        return current;
    }

    private static bool IsHex(string value)
    {
        var text = value.Trim();
        return text.StartsWith('#') || text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || text.StartsWith("&h", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsDate(Type type) => type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly) || type == typeof(TimeOnly);

    private static bool IsSetInterface(Type? type) => type is { IsGenericType: true } && type.GetGenericTypeDefinition() == typeof(ISet<>);

    // ConfigurationBinder ignores 'required'; give required members a value so the rest can be compared.
    private static List<Entry> AddRequired(Type section, List<Entry> entries)
    {
        var result = entries.ToList();
        foreach (var property in section.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.IsDefined(typeof(System.Runtime.CompilerServices.RequiredMemberAttribute)) && property.PropertyType == typeof(string)
                && !entries.Any(e => e.Value is not null && string.Equals(e.Key, property.Name, StringComparison.OrdinalIgnoreCase)))
            {
                result.Add(new Entry(property.Name, "required"));
            }
        }

        return result;
    }

    // ConfigurationBinder adds to the items an initializer put in a collection; sections replace them.
    private static List<Entry> DropDefaultedCollections(Type section, List<Entry> entries)
    {
        object? defaults;
        try
        {
            defaults = Activator.CreateInstance(section);
        }
        catch (MissingMethodException)
        {
            return entries;
        }

        var defaulted = ConfigurationGen.Members(section)
            .Where(m => KeyTypes.IsContainer(m.Type) && m.Property.GetValue(defaults) is System.Collections.IEnumerable items and not string && items.Cast<object>().Any())
            .Select(m => m.Key)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return entries.Where(e => !defaulted.Contains(e.Key.Split(':')[0])).ToList();
    }

    /// <summary>Whether the value codec accepts the text for a scalar type (what the generated code would parse).</summary>
    public static bool Accepts(Type type, string text)
    {
        if (type == typeof(string) || text.Length == 0)
        {
            return true;
        }

        try
        {
            var method = type.IsEnum
                ? typeof(KvValueCodec).GetMethod(nameof(KvValueCodec.ParseEnum))!.MakeGenericMethod(type)
                : typeof(KvValueCodec).GetMethod("Parse" + CodecName(type))!;
            method.Invoke(null, [text, "probe"]);
            return true;
        }
        catch (TargetInvocationException e) when (e.InnerException is KvBindingException)
        {
            return false;
        }
    }

    private static string CodecName(Type type) => type switch
    {
        _ when type == typeof(bool) => "Boolean",
        _ when type == typeof(float) => "Single",
        _ when type == typeof(byte[]) => "Bytes",
        _ when type == typeof(nint) => "IntPtr",
        _ when type == typeof(nuint) => "UIntPtr",
        _ => type.Name,
    };

    /// <summary>The ids of the table under "Differences from ConfigurationBinder" in docs/generator.md.</summary>
    public static HashSet<string> Documented()
    {
        var path = typeof(Differences).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "GeneratorDocs").Value!;
        var lines = File.ReadAllLines(path);
        var start = Array.FindIndex(lines, l => l.StartsWith("## Differences from ConfigurationBinder", StringComparison.Ordinal));
        Assert.True(start >= 0, "docs/generator.md has no '## Differences from ConfigurationBinder' section");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)))
        {
            if (line.StartsWith("| `", StringComparison.Ordinal))
            {
                ids.Add(line[3..line.IndexOf('`', 3)]);
            }
        }

        return ids;
    }
}
