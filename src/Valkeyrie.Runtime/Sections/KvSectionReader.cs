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
        foreach (var pair in pairs)
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
    public static IConfigurationSection FromJson(string json, string path, string targetType)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(path);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw KvBindingException.InvalidValue(path, targetType, "a JSON document", e);
        }

        using (document)
        {
            var root = new KvTreeNode();
            Fill(root, document.RootElement);
            var separator = path.Contains(KvKeys.Separator, StringComparison.Ordinal) ? KvKeys.Separator : ':';
            return new KvTreeSection(root, LastSegment(path), path, separator);
        }
    }

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
