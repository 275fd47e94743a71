using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Valkeyrie.Sections;

namespace Valkeyrie.Benchmarks.Generator;

/// <summary>
/// A synthetic project for the generator benchmarks: N <c>[KvSection]</c> classes (one file each, ten members of
/// mixed kinds) plus one ordinary file whose one-line edit stands for "an edit elsewhere".
/// </summary>
public sealed class SyntheticProject
{
    /// <summary>Parse options of every tree.</summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<MetadataReference[]> s_references = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(KvSectionAttribute).Assembly.Location)
            .Where(p => p.EndsWith(".dll", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal);
        return [.. paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    });

    /// <summary>Creates the trees of a project with <paramref name="sections"/> sections.</summary>
    /// <param name="sections">How many <c>[KvSection]</c> classes.</param>
    public SyntheticProject(int sections)
    {
        var trees = new List<SyntaxTree>(sections + 1);
        for (var i = 0; i < sections; i++)
        {
            trees.Add(CSharpSyntaxTree.ParseText(Section(i), ParseOptions, path: $"Section{i}.cs"));
        }

        EditedTree = CSharpSyntaxTree.ParseText(Elsewhere(0), ParseOptions, path: "Elsewhere.cs");
        trees.Add(EditedTree);
        Trees = trees;
    }

    /// <summary>Every tree of the project.</summary>
    public IReadOnlyList<SyntaxTree> Trees { get; }

    /// <summary>The ordinary file that the incremental benchmark edits.</summary>
    public SyntaxTree EditedTree { get; }

    /// <summary>A new compilation of the trees (no semantic state cached yet).</summary>
    public CSharpCompilation Compile() =>
        CSharpCompilation.Create(
            "Synthetic",
            Trees,
            s_references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>The edited file's text after edit number <paramref name="edit"/>: one line differs.</summary>
    /// <param name="edit">The edit number.</param>
    public static SyntaxTree Edit(int edit) => CSharpSyntaxTree.ParseText(Elsewhere(edit), ParseOptions, path: "Elsewhere.cs");

    private static string Elsewhere(int edit) => string.Create(CultureInfo.InvariantCulture, $$"""
        namespace Synthetic;

        public static class Elsewhere
        {
            public static int Answer() => {{edit}};
        }
        """);

    private static string Section(int i)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $$"""
            using System;
            using System.Collections.Generic;
            using Valkeyrie.Sections;

            namespace Synthetic;

            public enum Mode{{i}} { Off, On }

            public sealed class Retry{{i}}
            {
                public int Count { get; set; } = 3;
                public TimeSpan Delay { get; set; }
            }

            [KvSection("app/section{{i}}")]
            public sealed partial class Section{{i}}
            {
                public string Host { get; set; } = "localhost";
                public int Port { get; set; }
                public bool Enabled { get; set; }
                public double Ratio { get; set; }
                public Mode{{i}} Mode { get; set; }
                public TimeSpan Timeout { get; set; }
                public Guid? Id { get; set; }
                public Retry{{i}} Retry { get; set; } = new();
                public List<string> Tags { get; set; } = new();
                public Dictionary<string, int> Limits { get; set; } = new();
            }
            """);
        return text.ToString();
    }
}
