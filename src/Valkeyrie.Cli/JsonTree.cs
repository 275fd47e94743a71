using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Valkeyrie.Cli;

/// <summary>
/// Converts between JSON documents and relative keys. Nested (appsettings-style): objects are segments, arrays are
/// indexed segments (IConfiguration's convention), scalars are values. Flat: one object of <c>"a/b": "value"</c>.
/// </summary>
internal static class JsonTree
{
    public static SortedDictionary<string, string> Read(JsonDocument document, bool flat)
    {
        var keys = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new CliException(ExitCodes.Usage, "the JSON file must contain an object at its top level.");
        }

        if (flat)
        {
            foreach (var property in document.RootElement.EnumerateObject())
            {
                keys[KvKeys.Normalize(property.Name)] = Scalar(property.Value, property.Name);
            }
        }
        else
        {
            Flatten(document.RootElement, string.Empty, keys);
        }

        return keys;
    }

    /// <summary>Flat if every top-level value is a scalar and some name contains '/'.</summary>
    public static bool LooksFlat(JsonDocument document) =>
        document.RootElement.ValueKind == JsonValueKind.Object
        && document.RootElement.EnumerateObject().All(p => p.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
        && document.RootElement.EnumerateObject().Any(p => p.Name.Contains(KvKeys.Separator, StringComparison.Ordinal));

    public static void Write(Utf8JsonWriter json, IReadOnlyDictionary<string, string> keys, bool flat)
    {
        if (flat)
        {
            json.WriteStartObject();
            foreach (var (key, value) in keys)
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            return;
        }

        WriteNode(json, BuildNode(keys));
    }

    private static void Flatten(JsonElement element, string path, SortedDictionary<string, string> keys)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Flatten(property.Value, Join(path, property.Name), keys);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Flatten(item, Join(path, index++.ToString(CultureInfo.InvariantCulture)), keys);
                }

                break;
            default:
                if (path.Length == 0)
                {
                    throw new CliException(ExitCodes.Usage, "the JSON file must contain an object at its top level.");
                }

                keys[KvKeys.Normalize(path)] = Scalar(element, path);
                break;
        }
    }

    private static string Join(string path, string segment)
    {
        if (segment.Length == 0 || segment.Contains(KvKeys.Separator, StringComparison.Ordinal))
        {
            throw new CliException(ExitCodes.Usage, $"JSON property '{segment}' under '{path}' cannot be a key segment (empty or contains '/'); use --format flat for keys with '/'.");
        }

        return path.Length == 0 ? segment : $"{path}/{segment}";
    }

    private static string Scalar(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => string.Empty,
        _ => throw new CliException(ExitCodes.Usage, $"'{path}' must be a string, number, boolean or null in a flat file."),
    };

    private sealed class Node
    {
        public string? Value { get; set; }

        public SortedDictionary<string, Node> Children { get; } = new(StringComparer.Ordinal);
    }

    private static Node BuildNode(IReadOnlyDictionary<string, string> keys)
    {
        var root = new Node();
        foreach (var (key, value) in keys)
        {
            var node = root;
            foreach (var segment in key.Split(KvKeys.Separator))
            {
                if (!node.Children.TryGetValue(segment, out var child))
                {
                    node.Children[segment] = child = new Node();
                }

                node = child;
            }

            node.Value = value;
        }

        return root;
    }

    private static void WriteNode(Utf8JsonWriter json, Node node, string path = "")
    {
        if (node.Children.Count == 0)
        {
            json.WriteStringValue(node.Value ?? string.Empty);
            return;
        }

        if (node.Value is not null && path.Length > 0)
        {
            throw new CliException(ExitCodes.Usage, $"'{path}' has both a value and children, which nested JSON cannot express: use --format flat.");
        }

        var isArray = IsDenseIndex(node.Children.Keys);
        if (isArray)
        {
            json.WriteStartArray();
            foreach (var (name, child) in node.Children.OrderBy(c => int.Parse(c.Key, CultureInfo.InvariantCulture)))
            {
                WriteNode(json, child, path.Length == 0 ? name : $"{path}/{name}");
            }

            json.WriteEndArray();
            return;
        }

        json.WriteStartObject();
        foreach (var (name, child) in node.Children)
        {
            json.WritePropertyName(name);
            WriteNode(json, child, path.Length == 0 ? name : $"{path}/{name}");
        }

        json.WriteEndObject();
    }

    // Array items are 0…n-1 with no gaps and no leading zeros.
    private static bool IsDenseIndex(ICollection<string> names)
    {
        var seen = new HashSet<int>();
        foreach (var name in names)
        {
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var i) || i.ToString(CultureInfo.InvariantCulture) != name)
            {
                return false;
            }

            seen.Add(i);
        }

        return seen.Count > 0 && seen.Max() == seen.Count - 1;
    }

    public static string ToText(IReadOnlyDictionary<string, string> keys, bool flat)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(json, keys, flat);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
