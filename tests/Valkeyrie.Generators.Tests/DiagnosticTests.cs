using Microsoft.CodeAnalysis;
using Valkeyrie.Generators.Tests.Infrastructure;

namespace Valkeyrie.Generators.Tests;

/// <summary>One test per diagnostic: its id, severity, message and the exact source text it points at.</summary>
public sealed class DiagnosticTests
{
    private const string Usings = "using System; using System.Collections.Generic; using Valkeyrie.Sections;\n";

    [Fact]
    public async Task VKV001_section_not_partial_points_at_the_type_name()
    {
        var diagnostic = await Single(Usings + """[KvSection("a/b")] public class Settings { public int X { get; set; } }""");

        AssertDiagnostic(diagnostic, "VKV001", DiagnosticSeverity.Error, "Settings");
        Assert.Contains("'Settings' must be declared partial", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VKV001_containing_type_not_partial_names_the_section()
    {
        var diagnostic = await Single(Usings + """public class Outer { [KvSection("a/b")] public partial class Settings { public int X { get; set; } } }""");

        AssertDiagnostic(diagnostic, "VKV001", DiagnosticSeverity.Error, "Outer");
        Assert.Contains("contains the section 'Settings'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a//b", "empty segments")]
    [InlineData("", "at least one segment")]
    [InlineData("a/../b", "'.' and '..'")]
    [InlineData("a:b", "':' is not allowed")]
    [InlineData("_valkeyrie/x", "reserved")]
    public async Task VKV002_invalid_section_path_points_at_the_argument(string path, string rule)
    {
        var diagnostic = await Single(Usings + $$"""[KvSection("{{path}}")] public partial class Settings { public int X { get; set; } }""");

        AssertDiagnostic(diagnostic, "VKV002", DiagnosticSeverity.Error, $"\"{path}\"");
        Assert.Contains(rule, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VKV003_unsupported_member_type_names_member_and_type_and_suggests_KvJson()
    {
        var diagnostic = await Single(Usings + """[KvSection("a/b")] public partial class Settings { public Dictionary<int, string> Map { get; set; } = new(); }""");

        AssertDiagnostic(diagnostic, "VKV003", DiagnosticSeverity.Error, "Dictionary<int, string>");
        var message = diagnostic.GetMessage();
        Assert.Contains("'Map'", message, StringComparison.Ordinal);
        Assert.Contains("Dictionary<int, string>", message, StringComparison.Ordinal);
        Assert.Contains("dictionary keys must be strings", message, StringComparison.Ordinal);
        Assert.Contains("[KvJson]", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VKV003_struct_and_framework_types_are_unsupported()
    {
        var diagnostics = await GeneratorHarness.AnalyzeAsync(Usings + """
            public struct Point { public int X { get; set; } }
            [KvSection("a/b")] public partial class Settings
            {
                public Point Origin { get; set; }
                public System.Text.StringBuilder Builder { get; set; } = new();
            }
            """);

        Assert.Equal(["VKV003", "VKV003"], diagnostics.Select(d => d.Id));
        Assert.Equal(["Point", "System.Text.StringBuilder"], diagnostics.Select(SpanText));
    }

    [Fact]
    public async Task VKV004_two_members_with_the_same_key_points_at_the_second()
    {
        var diagnostic = await Single(Usings + """
            [KvSection("a/b")] public partial class Settings
            {
                public int Port { get; set; }
                [KvKey("port")] public int OtherPort { get; set; }
            }
            """);

        AssertDiagnostic(diagnostic, "VKV004", DiagnosticSeverity.Error, "OtherPort");
        Assert.Contains("'OtherPort' maps to key 'port', which member 'Port' already uses", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VKV005_member_without_setter_is_a_warning()
    {
        var diagnostic = await Single(Usings + """[KvSection("a/b")] public partial class Settings { public int Computed => 42; public int X { get; private set; } }""");

        AssertDiagnostic(diagnostic, "VKV005", DiagnosticSeverity.Warning, "Computed");
    }

    [Fact]
    public async Task VKV006_same_section_path_on_two_classes_reports_both()
    {
        var diagnostics = await GeneratorHarness.AnalyzeAsync(Usings + """
            [KvSection("app/db")] public partial class First { public int X { get; set; } }
            [KvSection("/app/db/")] public partial class Second { public int X { get; set; } }
            """);

        Assert.Equal(["VKV006", "VKV006"], diagnostics.Select(d => d.Id));
        Assert.Equal(["\"app/db\"", "\"/app/db/\""], diagnostics.Select(SpanText));
        Assert.Contains("also used by 'Second'", diagnostics[0].GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VKV006_paths_differing_only_in_case_are_the_same_configuration_section()
    {
        var diagnostics = await GeneratorHarness.AnalyzeAsync(Usings + """
            [KvSection("diag/dup")] public partial class First { public int X { get; set; } }
            [KvSection("DIAG/DUP")] public partial class Second { public int X { get; set; } }
            """);

        Assert.Equal(["VKV006", "VKV006"], diagnostics.Select(d => d.Id));
        Assert.Contains("'DIAG/DUP' is also used by 'First'", diagnostics[1].GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VKV003_on_a_KvJson_member_suggests_a_json_context_not_KvJson_again()
    {
        var diagnostic = await Single(Usings + """
            public struct Point { public int X { get; set; } }
            [KvSection("a/b")] public partial class Settings { [KvJson] public List<Point> Points { get; set; } = new(); }
            """);

        var message = diagnostic.GetMessage();
        Assert.Equal("VKV003", diagnostic.Id);
        Assert.Contains("cannot be stored as generated JSON", message, StringComparison.Ordinal);
        Assert.Contains("[KvJson(typeof(MyContext))]", message, StringComparison.Ordinal);
        Assert.DoesNotContain("mark it [KvJson]", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VKV003_shows_multi_dimensional_arrays_in_CSharp_syntax()
    {
        var diagnostic = await Single(Usings + """[KvSection("a/b")] public partial class Settings { public int[,] Grid { get; set; } = new int[0, 0]; }""");

        Assert.Contains("type 'int[,]'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VKV013_KvKey_and_ConfigurationKeyName_that_disagree_warn_and_KvKey_wins()
    {
        const string Source = Usings + """
            [KvSection("a/b")] public partial class Settings
            {
                [KvKey("store-name"), Microsoft.Extensions.Configuration.ConfigurationKeyName("binder-name")] public int X { get; set; }
                [KvKey("same"), Microsoft.Extensions.Configuration.ConfigurationKeyName("same")] public int Y { get; set; }
            }
            """;
        var result = GeneratorHarness.Run(Source);
        var diagnostic = await Single(Source);

        AssertDiagnostic(diagnostic, "VKV013", DiagnosticSeverity.Warning, "Microsoft.Extensions.Configuration.ConfigurationKeyName(\"binder-name\")");
        Assert.Contains("uses 'store-name'", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("\"a/b/store-name\"", result.Sources.Single().SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VKV008_invalid_ConfigurationKeyName_is_reported_like_an_invalid_KvKey()
    {
        var diagnostic = await Single(Usings + """[KvSection("a/b")] public partial class Settings { [Microsoft.Extensions.Configuration.ConfigurationKeyName("a:b")] public int X { get; set; } }""");

        AssertDiagnostic(diagnostic, "VKV008", DiagnosticSeverity.Error, "\"a:b\"");
    }

    [Theory]
    [InlineData("[KvIgnore, KvKey(\"x\")] public int Ignored { get; set; }", "KvKey", "marked [KvIgnore]")]
    [InlineData("[KvJson] public static List<int> Shared { get; set; } = new();", "KvJson", "static")]
    [InlineData("[KvKey(\"x\")] internal int Hidden { get; set; }", "KvKey", "not public")]
    [InlineData("[KvKey(\"x\")] public int Field;", "KvKey", "fields are not stored")]
    public async Task VKV007_kv_attribute_on_ignored_member_points_at_the_attribute(string member, string attribute, string reason)
    {
        var diagnostic = await Single(Usings + $$"""[KvSection("a/b")] public partial class Settings { {{member}} }""");

        Assert.Equal("VKV007", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.StartsWith(attribute, SpanText(diagnostic), StringComparison.Ordinal);
        Assert.Contains(reason, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a:b")]
    [InlineData("")]
    [InlineData("..")]
    public async Task VKV008_invalid_key_name_points_at_the_argument(string key)
    {
        var diagnostic = await Single(Usings + $$"""[KvSection("a/b")] public partial class Settings { [KvKey("{{key}}")] public int X { get; set; } }""");

        AssertDiagnostic(diagnostic, "VKV008", DiagnosticSeverity.Error, $"\"{key}\"");
    }

    [Fact]
    public async Task VKV009_generic_section()
    {
        var diagnostic = await Single(Usings + """[KvSection("a/b")] public partial class Settings<T> { public int X { get; set; } }""");

        AssertDiagnostic(diagnostic, "VKV009", DiagnosticSeverity.Error, "Settings");
    }

    [Fact]
    public async Task VKV010_json_context_that_is_not_a_JsonSerializerContext()
    {
        var diagnostic = await Single(Usings + """
            public class NotAContext { }
            [KvSection("a/b")] public partial class Settings { [KvJson(typeof(NotAContext))] public List<int> Items { get; set; } = new(); }
            """);

        AssertDiagnostic(diagnostic, "VKV010", DiagnosticSeverity.Error, "KvJson(typeof(NotAContext))");
        Assert.Contains("'NotAContext'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VKV011_section_without_usable_constructor()
    {
        var diagnostic = await Single(Usings + """
            [KvSection("a/b")] public partial class Settings
            {
                public Settings(int x) { X = x; }
                public Settings(int x, int y) { X = x + y; }
                public int X { get; set; }
            }
            """);

        AssertDiagnostic(diagnostic, "VKV011", DiagnosticSeverity.Error, "Settings");
        Assert.Contains("more than one constructor", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public string[] Keys { get; set; } = [];", "Keys")]
    [InlineData("public string SectionPath { get; set; } = \"\";", "SectionPath")]
    [InlineData("public void Bind() { }", "Bind")]
    [InlineData("public class ConfigurationKeys { }", "ConfigurationKeys")]
    public async Task VKV012_member_named_like_a_generated_one(string member, string name)
    {
        var source = Usings + "[KvSection(\"a/b\")] public partial class Settings { public int X { get; set; } " + member + " }";

        var diagnostic = await Single(source);

        AssertDiagnostic(diagnostic, "VKV012", DiagnosticSeverity.Error, name);
        Assert.Contains("'Settings' declares '" + name + "'", diagnostic.GetMessage(), StringComparison.Ordinal);

        // The section gets no code, so the compiler adds no duplicate-member errors of its own.
        var result = GeneratorHarness.Run(source);
        Assert.Empty(result.Sources);
        Assert.Empty(result.CompilationProblems);
    }

    [Fact]
    public void VKV012_names_are_exactly_the_members_the_generator_adds()
    {
        var result = GeneratorHarness.Run(Usings + """[KvSection("a/b")] public partial class Settings { public int X { get; set; } }""");

        var settings = result.Compilation.GetTypeByMetadataName("Settings")!;
        var generated = settings.GetMembers()
            .Where(m => !m.IsImplicitlyDeclared && m.DeclaredAccessibility == Accessibility.Public && m.Name != "X" && m.Name != "get_X" && m.Name != "set_X")
            .Where(m => m is not IMethodSymbol { MethodKind: MethodKind.PropertyGet or MethodKind.Constructor })
            .Select(m => m.Name)
            .ToHashSet(StringComparer.Ordinal);

        Assert.Equal(generated.Order(StringComparer.Ordinal), Valkeyrie.Generators.Parsing.GeneratedMemberNames.All.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Nested_type_problems_point_into_the_nested_type()
    {
        var diagnostic = await Single(Usings + """
            public class Inner { public Action? Callback { get; set; } }
            [KvSection("a/b")] public partial class Settings { public Inner Inner { get; set; } = new(); }
            """);

        AssertDiagnostic(diagnostic, "VKV003", DiagnosticSeverity.Error, "Action?");
    }

    [Fact]
    public async Task Invalid_sections_generate_nothing_and_members_with_errors_are_left_out()
    {
        var result = GeneratorHarness.Run(Usings + """
            [KvSection("a//b")] public partial class BadPath { public int X { get; set; } }
            [KvSection("a/b")] public partial class GoodWithBadMember { public int X { get; set; } public Action? Callback { get; set; } }
            """);

        var generated = Assert.Single(result.Sources);
        Assert.Equal("GoodWithBadMember.g.cs", generated.HintName);
        Assert.DoesNotContain("Callback", generated.SourceText.ToString(), StringComparison.Ordinal);
    }

    private static async Task<Diagnostic> Single(string source, int count = 1)
    {
        var diagnostics = await GeneratorHarness.AnalyzeAsync(source);
        Assert.True(diagnostics.Length == count, "Expected " + count + " diagnostic(s), got: " + string.Join("\n", diagnostics));
        return diagnostics[0];
    }

    private static void AssertDiagnostic(Diagnostic diagnostic, string id, DiagnosticSeverity severity, string spanText)
    {
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(severity, diagnostic.Severity);
        Assert.Equal(spanText, SpanText(diagnostic));
    }

    private static string SpanText(Diagnostic diagnostic) =>
        diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan);
}
