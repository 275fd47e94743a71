using System.Linq;
using Valkeyrie.Generators.Model;

namespace Valkeyrie.Generators.Emitting;

/// <summary>The private read and write methods of one shape.</summary>
internal static class ShapeEmitter
{
    public static void Emit(IndentedWriter code, SectionModel section, ShapeModel shape)
    {
        switch (shape.Kind)
        {
            case ShapeKind.Object:
                EmitObjectRead(code, section, shape);
                code.Line();
                EmitObjectWrite(code, section, shape);
                break;
            case ShapeKind.Collection:
                EmitCollectionRead(code, section, shape, dictionary: false);
                code.Line();
                EmitCollectionWrite(code, section, shape, dictionary: false);
                break;
            default:
                EmitCollectionRead(code, section, shape, dictionary: true);
                code.Line();
                EmitCollectionWrite(code, section, shape, dictionary: true);
                break;
        }
    }

    private static void EmitObjectRead(IndentedWriter code, SectionModel section, ShapeModel shape)
    {
        // A mutable object is bound into the instance its owner's initializer made, so unconfigured members keep
        // their initializer values at every depth (as ConfigurationBinder does).
        var bindInto = ValueEmitter.CanBindInto(shape);
        code.Open("private static " + shape.TypeName + " " + Names.ReadMethod(shape.Id) + "(" + Names.Configuration + " section"
            + (bindInto ? ", " + shape.TypeName + "? existing = null)" : ")"));
        RequireContainer(code, shape, "an object (sub-keys named after its members)");
        var members = shape.Members;

        // Values the object initializer or constructor needs are read first, into locals.
        for (var i = 0; i < members.Count; i++)
        {
            var member = members[i];
            if (member.Assignment == MemberAssignment.Setter)
            {
                continue;
            }

            code.Line("var __s" + i + " = section.GetSection(" + Names.Literal(member.Segment) + ");");
            if (member.Assignment == MemberAssignment.Init)
            {
                continue;
            }

            var fallback = member.Assignment == MemberAssignment.Constructor
                ? shape.Constructor.First(a => a.MemberIndex == i).DefaultValue
                : null;
            fallback ??= "throw " + Names.BindingException + ".Missing(__s" + i + ".Path, " + Names.Literal(member.Value.DisplayName) + ", "
                + Names.Literal(shape.DisplayName) + ", " + Names.Literal(member.Identifier.TrimStart('@')) + ")";
            code.Line(member.Value.TypeName + " __v" + i + " = " + ValueEmitter.Has("__s" + i, member.Value) + " ? "
                + ValueEmitter.Read("__s" + i, member.Value, section) + " : " + fallback + ";");
        }

        var arguments = string.Join(", ", shape.Constructor.Select(a => a.MemberIndex >= 0 ? "__v" + a.MemberIndex : a.DefaultValue));
        var required = Enumerable.Range(0, members.Count).Where(i => members[i].Assignment == MemberAssignment.Required).ToList();
        var init = Enumerable.Range(0, members.Count).Where(i => members[i].Assignment == MemberAssignment.Init).ToList();
        if (init.Count > 0)
        {
            // Init-only members cannot be assigned later, so an absent one takes the value a fresh instance has.
            code.Line("var __template = " + New(shape, arguments, required.Select(i => Assign(members[i], "__v" + i))) + ";");
        }

        var initializers = required.Select(i => Assign(members[i], "__v" + i))
            .Concat(init.Select(i => Assign(members[i], ValueEmitter.Has("__s" + i, members[i].Value) + " ? "
                + ValueEmitter.Read("__s" + i, members[i].Value, section) + " : __template." + members[i].Identifier)));
        code.Line("var __result = " + (bindInto ? "existing ?? " : string.Empty) + New(shape, arguments, initializers) + ";");

        for (var i = 0; i < members.Count; i++)
        {
            var member = members[i];
            if (member.Assignment != MemberAssignment.Setter)
            {
                continue;
            }

            code.Line("var __s" + i + " = section.GetSection(" + Names.Literal(member.Segment) + ");");
            code.Open("if (" + ValueEmitter.Has("__s" + i, member.Value) + ")");
            code.Line("__result." + member.Identifier + " = " + ValueEmitter.Read("__s" + i, member.Value, section, "__result." + member.Identifier) + ";");
            code.Close();
        }

        code.Line("return __result;");
        code.Close();
    }

    private static void EmitObjectWrite(IndentedWriter code, SectionModel section, ShapeModel shape)
    {
        code.Open("private static void " + Names.WriteMethod(shape.Id) + "(" + shape.TypeName + " value, " + Names.Writer + " writer)");
        var values = new ValueEmitter(section);
        foreach (var member in shape.Members)
        {
            values.Write(code, "value." + member.Identifier, Names.Literal(member.Segment), "writer", member.Value, nullMember: true);
        }

        code.Close();
    }

    private static void EmitCollectionRead(IndentedWriter code, SectionModel section, ShapeModel shape, bool dictionary)
    {
        var element = shape.Element!;
        code.Open("private static " + shape.TypeName + " " + Names.ReadMethod(shape.Id) + "(" + Names.Configuration + " section)");
        RequireContainer(code, shape, dictionary ? "a dictionary (one sub-key per entry)" : "a collection (sub-keys 0, 1, 2, ...)");
        code.Line(dictionary
            ? "var items = new " + Names.Generic + ".Dictionary<string, " + element.TypeName + ">();"
            : "var items = new " + Names.Generic + ".List<" + element.TypeName + ">();");
        code.Open("foreach (var item in section.GetChildren())");
        code.Open("if (" + ValueEmitter.Has("item", element) + ")");
        code.Line(dictionary
            ? "items[item.Key] = " + ValueEmitter.Read("item", element, section) + ";"
            : "items.Add(" + ValueEmitter.Read("item", element, section) + ");");
        code.Close();
        code.Close();
        code.Line(dictionary ? "return items;" : shape.Collection switch
        {
            CollectionKind.Array => "return items.ToArray();",
            CollectionKind.HashSet => "return new " + Names.Generic + ".HashSet<" + element.TypeName + ">(items);",
            _ => "return items;",
        });
        code.Close();
    }

    private static void EmitCollectionWrite(IndentedWriter code, SectionModel section, ShapeModel shape, bool dictionary)
    {
        var element = shape.Element!;
        var values = new ValueEmitter(section);
        code.Open("private static void " + Names.WriteMethod(shape.Id) + "(" + shape.TypeName + " value, " + Names.Writer + " writer)");
        if (dictionary)
        {
            code.Open("foreach (var item in value)");
            values.Write(code, "item.Value", "item.Key", "writer", element);
        }
        else
        {
            // Items are numbered as written, so null items leave no gaps.
            code.Line("var index = 0;");
            code.Open("foreach (var item in value)");
            values.Write(code, "item", Names.Codec + ".Format(index)", "writer", element, after: "index++;");
        }

        code.Close();
        code.Close();
    }

    private static void RequireContainer(IndentedWriter code, ShapeModel shape, string format) =>
        code.Line(Names.Reader + ".RequireContainer(section, " + Names.Literal(shape.DisplayName) + ", " + Names.Literal(format) + ");");

    private static string New(ShapeModel shape, string arguments, System.Collections.Generic.IEnumerable<string> initializers)
    {
        var list = initializers.ToList();
        var creation = "new " + shape.TypeName + "(" + arguments + ")";
        return list.Count == 0 ? creation : creation + " { " + string.Join(", ", list) + " }";
    }

    private static string Assign(MemberModel member, string value) => member.Identifier + " = " + value;
}
