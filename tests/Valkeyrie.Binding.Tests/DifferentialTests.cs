using CsCheck;

namespace Valkeyrie.Binding.Tests;

/// <summary>
/// Generated configuration bound by the generated code and by ConfigurationBinder must agree, member by member,
/// under several current cultures, except where docs/generator.md documents the difference. A failure prints the
/// CsCheck seed (rerun with CsCheck_Seed=... to reproduce) and the configuration.
/// </summary>
public sealed class DifferentialTests
{
    // 5 cultures x 8 shapes x 120 cases, each case checked member by member and as a whole.
    private const int CasesPerShape = 120;

    private static readonly HashSet<string> Used = [];

    public static TheoryData<string> Cultures => ["", "de-DE", "fr-FR", "tr-TR", "ja-JP"];

    [Theory]
    [MemberData(nameof(Cultures))]
    public void Generated_code_binds_what_ConfigurationBinder_binds_or_a_documented_difference(string culture)
    {
        using var scope = new CultureScope(culture);
        var documented = Differences.Documented();
        foreach (var shape in ShapeCase.All)
        {
            ConfigurationGen.PerMember(shape.Type).Sample(
                members =>
                {
                    foreach (var entries in members.Select(m => m.Entries).Append(members.SelectMany(m => m.Entries).ToList()))
                    {
                        if (Differences.Disagreement(shape, entries) is not { } disagreement)
                        {
                            continue;
                        }

                        var explained = Differences.Explain(shape, entries)
                            ?? throw new Xunit.Sdk.XunitException(
                                $"Undocumented difference from ConfigurationBinder for {shape} under culture '{culture}': {disagreement}. "
                                + "Fix it, or add it to the differences table in docs/generator.md and to Differences.Rewrites.\n"
                                + string.Join("\n", entries));
                        var undocumented = explained.Where(id => !documented.Contains(id)).ToList();
                        Assert.True(undocumented.Count == 0, "Not in docs/generator.md's differences table: " + string.Join(", ", undocumented));
                        lock (Used)
                        {
                            Used.UnionWith(explained);
                        }
                    }
                },
                iter: CasesPerShape,
                threads: 1,
                print: members => string.Join("\n", members.SelectMany(m => m.Entries)));
        }
    }

    [Fact]
    public void Every_rewrite_is_documented_and_every_documented_difference_is_real()
    {
        var documented = Differences.Documented();

        var undocumented = Differences.Rewrites.Select(r => r.Id).Where(id => !documented.Contains(id)).ToList();
        var unknown = documented.Where(id => Differences.Rewrites.All(r => r.Id != id) && !NotGenerated.Contains(id)).ToList();

        Assert.True(undocumented.Count == 0, "Rewrites missing from docs/generator.md: " + string.Join(", ", undocumented));
        Assert.True(unknown.Count == 0, "Documented differences the suite does not know: " + string.Join(", ", unknown));
    }

    // Differences the table lists that generated configuration cannot show (they are about shapes the suite does not
    // generate); each has its own example test in DocumentedDifferenceTests.
    public static readonly HashSet<string> NotGenerated = ["get-only-members"];
}
