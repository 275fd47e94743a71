using System.Text;
using System.Text.Json;

namespace Valkeyrie.Cli;

/// <summary>How values are shown: UTF-8 text when they are text, base64 otherwise.</summary>
internal static class ValueText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool TryDecode(ReadOnlyMemory<byte> value, out string text)
    {
        try
        {
            text = StrictUtf8.GetString(value.Span);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = string.Empty;
            return false;
        }
    }

    /// <summary>A one-line preview for tables and watch lines.</summary>
    public static string Preview(ReadOnlyMemory<byte> value, int max = 60)
    {
        if (!TryDecode(value, out var text) || text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            return $"<{value.Length} bytes binary>";
        }

        text = text.ReplaceLineEndings(" ").Replace('\t', ' ');
        return text.Length > max ? text[..max] + "…" : text;
    }

    /// <summary>Writes a pair as a JSON object: key, value (or valueBase64) and index.</summary>
    public static void WritePair(Utf8JsonWriter json, KvPair pair)
    {
        json.WriteStartObject();
        json.WriteString("key", pair.Key);
        WriteValue(json, pair.Value);
        json.WriteNumber("index", pair.LastIndex);
        json.WriteEndObject();
    }

    public static void WriteValue(Utf8JsonWriter json, ReadOnlyMemory<byte> value)
    {
        if (TryDecode(value, out var text))
        {
            json.WriteString("value", text);
        }
        else
        {
            json.WriteBase64String("valueBase64", value.Span);
        }
    }

    public static string ToJsonLine(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
