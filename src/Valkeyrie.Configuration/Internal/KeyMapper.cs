using System.Globalization;
using System.Text.Json;

namespace Valkeyrie.Configuration.Internal;

/// <summary>
/// Maps store keys to configuration keys: <c>a/b/c</c> becomes <c>a:b:c</c>, optionally without the watched prefix,
/// and a JSON object or array value optionally becomes sub-keys the way the JSON file provider flattens a file.
/// </summary>
internal sealed class KeyMapper
{
    private readonly bool _trimPrefix;
    private readonly bool _expandJson;

    public KeyMapper(bool trimPrefix, bool expandJson)
    {
        _trimPrefix = trimPrefix;
        _expandJson = expandJson;
    }

    /// <summary>The configuration key of a store key under a canonical prefix.</summary>
    public string ToConfigurationKey(string prefix, string storeKey)
    {
        var relative = _trimPrefix && prefix.Length > 0 ? storeKey[(prefix.Length + 1)..] : storeKey;
        return relative.Replace(KvKeys.Separator, ':');
    }

    /// <summary>Adds the configuration entries one store pair produces to <paramref name="entries"/>.</summary>
    public void Map(string prefix, string storeKey, string rawValue, List<(string Key, string? Value, bool Expanded)> entries)
    {
        var key = ToConfigurationKey(prefix, storeKey);
        if (_expandJson && LooksLikeJsonContainer(rawValue) && TryExpand(key, rawValue, entries))
        {
            return;
        }

        entries.Add((key, rawValue, false));
    }

    private static bool LooksLikeJsonContainer(string value)
    {
        var trimmed = value.AsSpan().TrimStart();
        return trimmed.Length > 0 && trimmed[0] is '{' or '[';
    }

    // A value that only looks like JSON stays a plain string: operators may store text that starts with a brace.
    private static bool TryExpand(string key, string rawValue, List<(string Key, string? Value, bool Expanded)> entries)
    {
        var start = entries.Count;
        try
        {
            using var document = JsonDocument.Parse(rawValue, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            Flatten(key, document.RootElement, entries);
            return true;
        }
        catch (JsonException)
        {
            entries.RemoveRange(start, entries.Count - start);
            return false;
        }
    }

    private static void Flatten(string path, JsonElement element, List<(string Key, string? Value, bool Expanded)> entries)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name.Length > 0)
                    {
                        Flatten(path + ":" + property.Name, property.Value, entries);
                    }
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Flatten(path + ":" + index.ToString(CultureInfo.InvariantCulture), item, entries);
                    index++;
                }

                break;
            case JsonValueKind.Null:
                entries.Add((path, string.Empty, true));
                break;
            default:
                // Same text as the JSON file provider: strings unquoted, numbers as written, booleans as True/False.
                entries.Add((path, element.ToString(), true));
                break;
        }
    }
}
