using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Valkeyrie.Generators.Model;
using Valkeyrie.Generators.Tests.Infrastructure;

namespace Valkeyrie.Generators.Tests;

/// <summary>The pipeline caches: unrelated edits reuse the models and the output; models hold no Roslyn objects.</summary>
public sealed class IncrementalTests
{
    private const string Unrelated = "namespace MyApp; public class Unrelated { public int Value { get; set; } }";

    [Fact]
    public void Unrelated_edit_leaves_models_and_output_cached()
    {
        var compilation = GeneratorHarness.Compile(Sources.Basic, Unrelated);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Last(),
            CSharpSyntaxTree.ParseText(Unrelated.Replace("Value", "OtherValue", StringComparison.Ordinal), GeneratorHarness.ParseOptions, path: "Source1.cs"));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertStep(result, TrackingNames.Models, IncrementalStepRunReason.Unchanged, IncrementalStepRunReason.Cached);
        AssertStep(result, TrackingNames.ValidModels, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        Assert.All(
            result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, output.Reason.ToString()));
    }

    [Fact]
    public void Edit_inside_the_section_regenerates_it()
    {
        var compilation = GeneratorHarness.Compile(Sources.Basic);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Single(),
            CSharpSyntaxTree.ParseText(Sources.Basic.Replace("public int Port", "public long Port", StringComparison.Ordinal), GeneratorHarness.ParseOptions, path: "Source0.cs"));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var modelOutputs = result.TrackedSteps[TrackingNames.Models].SelectMany(s => s.Outputs);
        Assert.Contains(modelOutputs, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("ParseInt64", result.GeneratedSources.Single().SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Models_hold_no_symbols_syntax_locations_or_compilations()
    {
        var forbidden = new[] { typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxToken), typeof(Location), typeof(Compilation), typeof(SemanticModel), typeof(SyntaxTree), typeof(AttributeData) };
        var modelTypes = typeof(SectionModel).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(SectionModel).Namespace && !t.IsEnum)
            .ToList();
        Assert.Contains(typeof(ShapeModel), modelTypes);

        foreach (var type in modelTypes)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                foreach (var fieldType in Flatten(field.FieldType))
                {
                    Assert.False(
                        forbidden.Any(f => f.IsAssignableFrom(fieldType)),
                        $"{type.Name}.{field.Name} holds {fieldType.Name}, which would defeat incremental caching.");
                }
            }
        }
    }

    [Fact]
    public void Equal_sources_give_equal_models()
    {
        static SectionModel Model() =>
            (SectionModel)GeneratorHarness.CreateDriver().RunGenerators(GeneratorHarness.Compile(Sources.Collections))
                .GetRunResult().Results.Single().TrackedSteps[TrackingNames.ValidModels].Single().Outputs.Single().Value;

        var first = Model();
        var second = Model();

        Assert.NotSame(first, second);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }

    private static void AssertStep(GeneratorRunResult result, string step, params IncrementalStepRunReason[] allowed)
    {
        var outputs = result.TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, o => Assert.Contains(o.Reason, allowed));
    }

    private static IEnumerable<Type> Flatten(Type type)
    {
        yield return type;
        if (type.IsArray)
        {
            foreach (var inner in Flatten(type.GetElementType()!))
            {
                yield return inner;
            }
        }

        foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : [])
        {
            foreach (var inner in Flatten(argument))
            {
                yield return inner;
            }
        }
    }
}
