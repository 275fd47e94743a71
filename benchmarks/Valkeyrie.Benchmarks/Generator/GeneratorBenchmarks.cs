using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Valkeyrie.Benchmarks.Infrastructure;
using Valkeyrie.Generators;

namespace Valkeyrie.Benchmarks.Generator;

/// <summary>
/// Group 5: what the <c>[KvSection]</c> generator adds to a build of a project with 200 sections, driven in process
/// with <see cref="CSharpGeneratorDriver"/>. Baseline: compiling (emitting) the project without the generator.
/// The incremental case replays an IDE edit: a warm driver, one line changed in a file without sections.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private SyntheticProject _project = null!;
    private GeneratorDriver _warmDriver = null!;
    private CSharpCompilation _current = null!;
    private SyntaxTree _currentEdit = null!;
    private int _edits;

    /// <summary>Sections in the project.</summary>
    [ParamsSource(nameof(SectionCounts))]
    public int Sections { get; set; }

    /// <summary>200 sections; the smoke mode uses 20.</summary>
    public static IEnumerable<int> SectionCounts => RunMode.IsSmoke ? [20] : [200];

    [GlobalSetup]
    public void Setup()
    {
        _project = new SyntheticProject(Sections);
        _current = _project.Compile();
        _currentEdit = _project.EditedTree;
        _warmDriver = CreateDriver().RunGenerators(_current);
        var generated = _warmDriver.GetRunResult();
        if (generated.Results[0].GeneratedSources.Length != Sections || generated.Diagnostics.Length != 0)
        {
            throw new InvalidOperationException($"The generator produced {generated.Results[0].GeneratedSources.Length} files and {generated.Diagnostics.Length} diagnostics for {Sections} sections.");
        }
    }

    [Benchmark(Baseline = true, Description = "Compile without generator (emit)")]
    public long CompileOnly()
    {
        using var stream = new MemoryStream();
        var result = _project.Compile().Emit(stream);
        return result.Success ? stream.Length : throw Failed(result.Diagnostics);
    }

    [Benchmark(Description = "Compile with generator (emit)")]
    public long CompileWithGenerator()
    {
        CreateDriver().RunGeneratorsAndUpdateCompilation(_project.Compile(), out var output, out _);
        using var stream = new MemoryStream();
        var result = output.Emit(stream);
        return result.Success ? stream.Length : throw Failed(result.Diagnostics);
    }

    [Benchmark(Description = "Generator only, cold")]
    public int GeneratorCold() => CreateDriver().RunGenerators(_project.Compile()).GetRunResult().GeneratedTrees.Length;

    [Benchmark(Description = "Generator only, after a one-line edit elsewhere")]
    public int GeneratorIncremental()
    {
        var edited = SyntheticProject.Edit(++_edits);
        _current = _current.ReplaceSyntaxTree(_currentEdit, edited);
        _currentEdit = edited;
        _warmDriver = _warmDriver.RunGenerators(_current);
        return _warmDriver.GetRunResult().GeneratedTrees.Length;
    }

    private static CSharpGeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create([new KvSectionGenerator().AsSourceGenerator()], parseOptions: SyntheticProject.ParseOptions);

    private static InvalidOperationException Failed(IEnumerable<Diagnostic> diagnostics) =>
        new("The synthetic project does not compile: " + string.Join("; ", diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(5)));
}
