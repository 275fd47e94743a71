using System.Buffers;
using System.ComponentModel;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Valkeyrie.Sections;

/// <summary>
/// Writes a value as one JSON document with <see cref="Utf8JsonWriter"/> (no serializer, so nothing to trim or
/// generate): objects and dictionaries become JSON objects, collections JSON arrays, scalars strings, numbers or booleans.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class KvJsonValueWriter : KvSectionWriter, IDisposable
{
    // Relaxed escaping keeps non-ASCII text readable for operators editing values with the backend's own tools.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ArrayBufferWriter<byte> _buffer = new();
    private readonly Utf8JsonWriter _writer;
    // One entry per open container: null for an array, the property names so far for an object.
    private readonly Stack<KvSiblingNames?> _open = new();

    /// <summary>Creates a writer for one JSON document.</summary>
    public KvJsonValueWriter()
    {
        _writer = new Utf8JsonWriter(_buffer, Options);
    }

    /// <inheritdoc />
    public override void WriteValue(string name, string text, KvValueKind kind)
    {
        ArgumentNullException.ThrowIfNull(text);
        WriteName(name);
        switch (kind)
        {
            case KvValueKind.Number when IsJsonNumber(text):
                _writer.WriteRawValue(text);
                break;
            case KvValueKind.Boolean:
                _writer.WriteBooleanValue(string.Equals(text, "true", StringComparison.OrdinalIgnoreCase));
                break;
            case KvValueKind.Json:
                _writer.WriteRawValue(text);
                break;
            default:
                _writer.WriteStringValue(text);
                break;
        }
    }

    /// <inheritdoc />
    public override void WriteNull(string name)
    {
        WriteName(name);
        _writer.WriteNullValue();
    }

    /// <inheritdoc />
    public override void BeginObject(string name)
    {
        WriteName(name);
        _writer.WriteStartObject();
        _open.Push(new KvSiblingNames());
    }

    /// <inheritdoc />
    public override void EndObject()
    {
        _open.Pop();
        _writer.WriteEndObject();
    }

    /// <inheritdoc />
    public override void BeginArray(string name)
    {
        WriteName(name);
        _writer.WriteStartArray();
        _open.Push(null);
    }

    /// <inheritdoc />
    public override void EndArray()
    {
        _open.Pop();
        _writer.WriteEndArray();
    }

    /// <summary>Releases the underlying <see cref="Utf8JsonWriter"/>.</summary>
    public void Dispose() => _writer.Dispose();

    /// <summary>The JSON written, as text.</summary>
    public string ToJson()
    {
        _writer.Flush();
        return Encoding.UTF8.GetString(_buffer.WrittenSpan);
    }

    // The document's root value and array items have no property name.
    private void WriteName(string name)
    {
        if (_open.Count > 0 && _open.Peek() is { } names)
        {
            names.Add(name, "a [KvJson] object");
            _writer.WritePropertyName(name);
        }
    }

    // NaN and the infinities have no JSON number form; they are written as strings and parsed back by the codec.
    private static bool IsJsonNumber(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }

        var i = text[0] == '-' ? 1 : 0;
        if (i >= text.Length || !char.IsAsciiDigit(text[i]))
        {
            return false;
        }

        foreach (var c in text.AsSpan(i))
        {
            if (!(char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '+' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
