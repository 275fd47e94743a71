using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Valkeyrie.Sections;

/// <summary>
/// Rebuilds the JSON a configuration provider expanded into sub-keys (the JSON file provider's flattening, or
/// Valkeyrie's <c>ExpandJsonValues</c>), so a <c>[KvJson(typeof(MyContext))]</c> member reads the same JSON either way.
/// </summary>
internal static class KvExpandedJson
{
    public static void Write(IConfigurationSection section, KvSectionWriter writer) => WriteNode(section, string.Empty, writer);

    private static void WriteNode(IConfigurationSection section, string name, KvSectionWriter writer)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            WriteLeaf(section.Value, name, writer);
            return;
        }

        // Flattening names array items 0, 1, 2, …; anything else was an object.
        var isArray = children.Select((child, i) => child.Key == i.ToString(CultureInfo.InvariantCulture)).All(matches => matches);
        if (isArray)
        {
            writer.BeginArray(name);
        }
        else
        {
            writer.BeginObject(name);
        }

        foreach (var child in children)
        {
            WriteNode(child, child.Key, writer);
        }

        if (isArray)
        {
            writer.EndArray();
        }
        else
        {
            writer.EndObject();
        }
    }

    // Flattening writes strings unquoted, numbers as written, booleans as True/False and null as an empty value.
    private static void WriteLeaf(string? value, string name, KvSectionWriter writer)
    {
        if (string.IsNullOrEmpty(value))
        {
            writer.WriteValue(name, "null", KvValueKind.Json);
        }
        else if (value is "True" or "False" or "true" or "false")
        {
            writer.WriteValue(name, value, KvValueKind.Boolean);
        }
        else
        {
            writer.WriteValue(name, value, IsJsonNumber(value) ? KvValueKind.Json : KvValueKind.Text);
        }
    }

    private static bool IsJsonNumber(string text)
    {
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text));
            return reader.Read() && reader.TokenType == JsonTokenType.Number && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
