using System.Linq;
using Valkeyrie.Generators.Model;

namespace Valkeyrie.Generators.Emitting;

/// <summary>The expressions and statements for one value: is it present, read it, write it.</summary>
internal sealed class ValueEmitter
{
    private readonly SectionModel _section;
    private int _next;

    public ValueEmitter(SectionModel section)
    {
        _section = section;
    }

    public string Fresh(string stem) => "__" + stem + _next++;

    /// <summary>Whether configuration section <paramref name="s"/> holds a value to read (absent values keep defaults).</summary>
    public static string Has(string s, ValueModel value) => value.Kind switch
    {
        // An empty value is an empty byte array or relative URI, which is what saving one writes.
        ValueKind.String => s + ".Value is not null",
        ValueKind.Scalar when value.Codec is "Bytes" or "Uri" => s + ".Value is not null",

        // An empty value sets a Nullable<T> to null, as ConfigurationBinder does.
        ValueKind.Scalar or ValueKind.Enum when IsNullableValueType(value) => s + ".Value is not null",
        ValueKind.Shape or ValueKind.Json => Names.ConfigurationExtensions + ".Exists(" + s + ")",
        ValueKind.JsonContext => Names.Reader + ".HasJson(" + s + ")",
        _ => "!string.IsNullOrEmpty(" + s + ".Value)",
    };

    /// <summary>Reads the value from section <paramref name="s"/>, which <see cref="Has"/> said is present.</summary>
    /// <param name="s">The section expression.</param>
    /// <param name="value">The value.</param>
    /// <param name="section">The section model, for the shapes.</param>
    /// <param name="existing">The instance an initializer made, which a mutable nested object is bound into (as ConfigurationBinder does).</param>
    public static string Read(string s, ValueModel value, SectionModel section, string? existing = null) => value.Kind switch
    {
        ValueKind.Scalar or ValueKind.Enum when IsNullableValueType(value) =>
            "string.IsNullOrEmpty(" + s + ".Value) ? (" + value.TypeName + ")null : " + ReadScalar(s, value),
        ValueKind.Scalar or ValueKind.Enum => ReadScalar(s, value),
        ValueKind.Shape when existing is not null && CanBindInto(section.Shapes[value.ShapeId]) =>
            Names.ReadMethod(value.ShapeId) + "(" + s + ", " + existing + ")",
        ValueKind.String => s + ".Value!",
        ValueKind.Shape => Names.ReadMethod(value.ShapeId) + "(" + s + ")",

        // A JSON member is one JSON text in the store, but a configuration provider may have expanded it into sub-keys.
        ValueKind.Json => "string.IsNullOrEmpty(" + s + ".Value) ? " + Names.ReadMethod(value.ShapeId) + "(" + s + ") : "
            + Names.ReadMethod(value.ShapeId) + "(" + Names.Reader + ".FromJson(" + s + ".Value!, " + s + ".Path, " + Names.Literal(value.DisplayName) + ", "
            + JsonRoot(section.Shapes[value.ShapeId]) + "))",
        // The JSON text, or the JSON rebuilt from the sub-keys a provider expanded it into.
        _ => Names.JsonContextCodec + ".Deserialize<" + value.NonNullTypeName + ">(" + Names.Reader + ".JsonText(" + s + "), " + value.JsonContext + ".Default, " + s + ".Path)",
    };

    private static string ReadScalar(string s, ValueModel value) => value.Kind == ValueKind.Enum
        ? Names.Codec + ".ParseEnum<" + value.NonNullTypeName + ">(" + s + ".Value!, " + s + ".Path)"
        : Names.Codec + ".Parse" + value.Codec + "(" + s + ".Value!, " + s + ".Path)";

    // Nullable<T> of a scalar or enum; the reference-type scalars (Uri, Version, byte[]) can be null too but are not Nullable<T>.
    private static bool IsNullableValueType(ValueModel value) =>
        value.CanBeNull && (value.Kind == ValueKind.Enum || value.Codec is not ("Uri" or "Version" or "Bytes"));

    /// <summary>Whether an object shape's reader can fill an existing instance: every member is assigned by a setter.</summary>
    public static bool CanBindInto(ShapeModel shape) =>
        shape.Kind == ShapeKind.Object && shape.Constructor.Count == 0 && shape.Members.All(m => m.Assignment == MemberAssignment.Setter);

    private static string JsonRoot(ShapeModel shape) =>
        "global::System.Text.Json.JsonValueKind." + (shape.Kind == ShapeKind.Collection ? "Array" : "Object");

    /// <summary>
    /// Writes <paramref name="expression"/> named <paramref name="name"/> to writer <paramref name="writer"/>, skipping nulls;
    /// with <paramref name="nullMember"/>, a null <c>Nullable&lt;T&gt;</c> member is written as null instead, so it loads
    /// back as null rather than as the member's non-null default.
    /// </summary>
    public void Write(IndentedWriter code, string expression, string name, string writer, ValueModel value, string? after = null, bool nullMember = false)
    {
        var target = expression;
        if (value.CanBeNull)
        {
            target = Fresh("v");
            code.Open("if (" + expression + " is { } " + target + ")");
        }

        switch (value.Kind)
        {
            case ValueKind.String:
                code.Line(writer + ".WriteValue(" + name + ", " + target + ", " + Names.ValueKind + ".Text);");
                break;
            case ValueKind.Scalar:
                code.Line(writer + ".WriteValue(" + name + ", " + Names.Codec + ".Format(" + target + "), " + Names.ValueKind + "." + value.JsonKind + ");");
                break;
            case ValueKind.Enum:
                code.Line(writer + ".WriteValue(" + name + ", " + Names.Codec + ".FormatEnum(" + target + "), " + Names.ValueKind + ".Text);");
                break;
            case ValueKind.Shape:
                WriteShape(code, target, name, writer, value.ShapeId);
                break;
            case ValueKind.Json:
                var json = Fresh("json");
                code.Open("using (var " + json + " = new " + Names.JsonWriter + "())");
                WriteShape(code, target, "string.Empty", json, value.ShapeId);
                code.Line(writer + ".WriteValue(" + name + ", " + json + ".ToJson(), " + Names.ValueKind + ".Json);");
                code.Close();
                break;
            default:
                code.Line(writer + ".WriteValue(" + name + ", " + Names.JsonContextCodec + ".Serialize<" + value.NonNullTypeName + ">("
                    + target + ", " + value.JsonContext + ".Default, " + name + "), " + Names.ValueKind + ".Json);");
                break;
        }

        if (after is not null)
        {
            code.Line(after);
        }

        if (value.CanBeNull)
        {
            code.Close();
            if (nullMember && value.Kind is ValueKind.Scalar or ValueKind.Enum && IsNullableValueType(value))
            {
                code.Open("else");
                code.Line(writer + ".WriteNull(" + name + ");");
                code.Close();
            }
        }
    }

    private void WriteShape(IndentedWriter code, string target, string name, string writer, int shapeId)
    {
        var container = _section.Shapes[shapeId].Kind == ShapeKind.Collection ? "Array" : "Object";
        code.Line(writer + ".Begin" + container + "(" + name + ");");
        code.Line(Names.WriteMethod(shapeId) + "(" + target + ", " + writer + ");");
        code.Line(writer + ".End" + container + "();");
    }
}
