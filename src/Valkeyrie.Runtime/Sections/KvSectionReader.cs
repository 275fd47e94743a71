using System.ComponentModel;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Valkeyrie.Sections;

/// <summary>
/// Turns store pairs or a JSON value into a read-only <see cref="IConfigurationSection"/>, so that generated code has
/// one reading path for configuration, store pairs and JSON members. Paths in error messages stay in the source's
/// own form (store keys for pairs). Generated code calls it; applications normally do not.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class KvSectionReader
{
    /// <summary>Builds a section from the pairs under <paramref name="prefix"/>; other pairs are ignored.</summary>
    /// <param name="pairs">Store pairs with full keys.</param>
    /// <param name="prefix">The section's store prefix.</param>
    public static IConfigurationSection FromPairs(IEnumerable<KvPair> pairs, string prefix)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var canonical = KvKeys.NormalizePrefix(prefix);
        var root = new KvTreeNode();

        // Ordinal key order makes the ordinal-greater of two keys differing only in case win, as in the provider.
        foreach (var pair in pairs.OrderBy(static p => p.Key, StringComparer.Ordinal))
        {
            if (!KvKeys.IsDescendant(pair.Key, canonical))
            {
                continue;
            }

            var relative = pair.Key[KvKeys.DescendantPrefix(canonical).Length..];
            var node = root;
            foreach (var segment in relative.Split(KvKeys.Separator))
            {
                node = node.GetOrAddChild(segment);
            }

            node.Value = Encoding.UTF8.GetString(pair.Value.Span);
        }

        return new KvTreeSection(root, LastSegment(canonical), canonical, KvKeys.Separator);
    }

    /// <summary>
    /// Builds a section from a JSON value: object properties and array items (named by index) become children,
    /// scalars become values (numbers and booleans as their JSON text), empty objects and arrays an empty value.
    /// </summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="path">The key or configuration path the JSON was read from, for error messages.</param>
    /// <param name="targetType">The member's type name, for error messages.</param>
    /// <exception cref="KvBindingException">The text is not valid JSON.</exception>
    public static IConfigurationSection FromJson(string json, string path, string targetType) =>
        FromJson(json, path, targetType, JsonValueKind.Undefined);

    /// <summary>
    /// Builds a section from a JSON value that must be an object or an array (what a <c>[KvJson]</c> member holds),
    /// so that JSON of the wrong shape is an error rather than an empty or half-filled value.
    /// </summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="path">The key or configuration path the JSON was read from, for error messages.</param>
    /// <param name="targetType">The member's type name, for error messages.</param>
    /// <param name="expected"><see cref="JsonValueKind.Object"/> or <see cref="JsonValueKind.Array"/>; <see cref="JsonValueKind.Undefined"/> accepts any value.</param>
    /// <exception cref="KvBindingException">The text is not valid JSON, or not of the expected kind.</exception>
    public static IConfigurationSection FromJson(string json, string path, string targetType, JsonValueKind expected)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(path);
        var format = expected switch
        {
            JsonValueKind.Object => "a JSON object",
            JsonValueKind.Array => "a JSON array",
            _ => "a JSON document",
        };
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw KvBindingException.InvalidJson(path, targetType, format, e);
        }

        using (document)
        {
            if (expected != JsonValueKind.Undefined && document.RootElement.ValueKind != expected)
            {
                throw KvBindingException.InvalidValue(path, targetType, format + " (the JSON holds " + KindName(document.RootElement.ValueKind) + ")");
            }

            var root = new KvTreeNode();
            Fill(root, document.RootElement);
            var separator = path.Contains(KvKeys.Separator, StringComparison.Ordinal) ? KvKeys.Separator : ':';
            return new KvTreeSection(root, LastSegment(path), path, separator);
        }
    }

    /// <summary>
    /// Fails when a section that should be an object, collection or dictionary holds only a value (<c>Retry=5</c>
    /// where <c>Retry</c> is an object): binding it would silently give an empty or default instance.
    /// An empty value is an empty object or collection (how sections store them) and children win over a value.
    /// </summary>
    /// <param name="section">The section.</param>
    /// <param name="targetType">The expected type's name, for the error message.</param>
    /// <param name="expectedFormat">What the section should hold, for the error message.</param>
    /// <exception cref="KvBindingException">The section has a non-empty value and no children.</exception>
    public static void RequireContainer(IConfiguration section, string targetType, string expectedFormat)
    {
        ArgumentNullException.ThrowIfNull(section);
        if (section is IConfigurationSection { Value: { Length: > 0 } } withValue && !section.GetChildren().Any())
        {
            throw KvBindingException.InvalidValue(withValue.Path, targetType, expectedFormat + " (found a single value)");
        }
    }

    /// <summary>
    /// Whether a <c>[KvJson(typeof(MyContext))]</c> member has JSON to read: its JSON text, or the sub-keys a provider
    /// expanded that text into (<c>ExpandJsonValues</c>).
    /// </summary>
    /// <param name="section">The member's section.</param>
    public static bool HasJson(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return !string.IsNullOrEmpty(section.Value) || section.GetChildren().Any();
    }

    /// <summary>
    /// The JSON of a <c>[KvJson(typeof(MyContext))]</c> member: its value, or, when a provider expanded the value into
    /// sub-keys, the JSON rebuilt from them the way the expansion flattened it (children named 0, 1, … are an array;
    /// <c>True</c>/<c>False</c> are booleans; number literals are numbers; other text is a string; an empty value is null).
    /// </summary>
    /// <param name="section">The member's section, which <see cref="HasJson"/> said holds JSON.</param>
    public static string JsonText(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        if (!string.IsNullOrEmpty(section.Value))
        {
            return section.Value;
        }

        using var json = new KvJsonValueWriter();
        KvExpandedJson.Write(section, json);
        return json.ToJson();
    }

    private static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Null => "null",
        _ => "a boolean",
    };

    private static void Fill(KvTreeNode node, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Fill(node.GetOrAddChild(property.Name), property.Value);
                }

                node.Value = node.HasChildren ? null : string.Empty;
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Fill(node.GetOrAddChild(KvValueCodec.Format(index++)), item);
                }

                node.Value = node.HasChildren ? null : string.Empty;
                break;
            case JsonValueKind.String:
                node.Value = element.GetString();
                break;
            case JsonValueKind.Null:
                node.Value = null;
                break;
            default:
                // Numbers, true and false keep their JSON text, which the codec parses invariantly.
                node.Value = element.GetRawText();
                break;
        }
    }

    private static string LastSegment(string path)
    {
        var cut = path.LastIndexOfAny(['/', ':']);
        return cut < 0 ? path : path[(cut + 1)..];
    }
}
