using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Valkeyrie.Generators.Registration;
using Valkeyrie.Generators.Tests.Infrastructure;

namespace Valkeyrie.Generators.Tests;

/// <summary>
/// The registration generator: an app that references a backend assembly (one with [assembly: KvStoreBackend]) gets a
/// module initializer calling that backend's Register(), which compiles; an app without one gets nothing; an edit
/// that changes no reference leaves the output cached.
/// </summary>
public sealed class BackendRegistrationTests
{
    private const string Backend = """
        [assembly: Valkeyrie.KvStoreBackend(typeof(Fake.Store.FakeRegistration))]
        namespace Fake.Store
        {
            public static class FakeRegistration
            {
                public static void Register() { }
            }
        }
        """;

    [Fact]
    public void A_referenced_backend_is_registered_from_the_apps_module_initializer()
    {
        var backend = GeneratorHarness.Compile(Backend).WithAssemblyName("Fake.Store");
        var app = GeneratorHarness.Compile("public static class App { }").AddReferences(backend.ToMetadataReference());

        var driver = Driver().RunGeneratorsAndUpdateCompilation(app, out var output, out var diagnostics);

        Assert.Empty(diagnostics);
        var generated = Assert.Single(driver.GetRunResult().GeneratedTrees);
        var text = generated.ToString();
        Assert.Contains("[global::System.Runtime.CompilerServices.ModuleInitializer]", text, StringComparison.Ordinal);
        Assert.Contains("global::Fake.Store.FakeRegistration.Register();", text, StringComparison.Ordinal);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void An_app_without_a_backend_gets_no_source()
    {
        var driver = Driver().RunGenerators(GeneratorHarness.Compile("public static class App { }"));
        Assert.Empty(driver.GetRunResult().GeneratedTrees);
    }

    [Fact]
    public void An_edit_that_changes_no_reference_is_cached()
    {
        var backend = GeneratorHarness.Compile(Backend).WithAssemblyName("Fake.Store");
        var app = GeneratorHarness.Compile("public static class App { }").AddReferences(backend.ToMetadataReference());
        var driver = Driver().RunGenerators(app);

        var edited = app.AddSyntaxTrees(CSharpSyntaxTree.ParseText("public static class More { }", GeneratorHarness.ParseOptions));
        var step = driver.RunGenerators(edited).GetRunResult().Results.Single().TrackedSteps[TrackingNames.BackendRegistrations];

        Assert.All(step.SelectMany(s => s.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached, o.Reason.ToString()));
    }

    private static CSharpGeneratorDriver Driver() =>
        CSharpGeneratorDriver.Create(
            [new BackendRegistrationGenerator().AsSourceGenerator()],
            parseOptions: GeneratorHarness.ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
}
