using System.Text.Json;

namespace Valkeyrie.Configuration.Internal;

/// <summary>
/// The local fallback file: the store pairs of every prefix as JSON, written to a temporary file and renamed over the
/// old one so a crash never leaves a torn file. It stores store keys and raw values (not configuration keys), so
/// mapping options changed since it was written still apply.
/// </summary>
internal static class SnapshotFile
{
    private const string Format = "valkeyrie-configuration-snapshot/1";

    /// <summary>What the file holds.</summary>
    public sealed record Content(DateTimeOffset SavedAt, IReadOnlyDictionary<string, IReadOnlyList<KeyValuePair<string, string>>> Prefixes);

    public static void Write(string path, IReadOnlyList<string> prefixes, ConfigurationIndex index)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            if (!OperatingSystem.IsWindows())
            {
                // Values may be secrets: readable by the owner only.
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            writer.WriteStartObject();
            writer.WriteString("format", Format);
            writer.WriteString("savedAt", DateTimeOffset.UtcNow);
            writer.WriteStartArray("prefixes");
            for (var layer = 0; layer < prefixes.Count; layer++)
            {
                writer.WriteStartObject();
                writer.WriteString("prefix", prefixes[layer]);
                writer.WriteStartObject("pairs");
                foreach (var (key, rawValue) in index.Layers[layer].Enumerate().OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WriteString(key, rawValue);
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>Reads the file; <see langword="null"/> when it does not exist.</summary>
    /// <exception cref="InvalidDataException">The file is not a snapshot file.</exception>
    public static Content? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("format", out var format) || format.GetString() != Format
            || !root.TryGetProperty("savedAt", out var savedAt)
            || !root.TryGetProperty("prefixes", out var layers))
        {
            throw new InvalidDataException($"'{path}' is not a Valkeyrie configuration snapshot file ({Format}).");
        }

        var prefixes = new Dictionary<string, IReadOnlyList<KeyValuePair<string, string>>>(StringComparer.Ordinal);
        foreach (var layer in layers.EnumerateArray())
        {
            var pairs = layer.GetProperty("pairs").EnumerateObject()
                .Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString() ?? string.Empty))
                .ToList();
            prefixes[layer.GetProperty("prefix").GetString() ?? string.Empty] = pairs;
        }

        return new Content(savedAt.GetDateTimeOffset(), prefixes);
    }
}
