using System.Globalization;
using System.Text.RegularExpressions;

namespace Valkeyrie.Benchmarks.Infrastructure;

/// <summary>The program's own switches; every other argument goes to BenchmarkDotNet unchanged.</summary>
/// <param name="Smoke">--smoke: every benchmark once in process with the dry job, and the harness with a few writes.</param>
/// <param name="RunBenchmarkDotNet">Whether BenchmarkDotNet runs (a --filter was given, or --smoke).</param>
/// <param name="RunHarness">Whether the latency and memory harness runs (--harness, --smoke, or a filter matching "Harness").</param>
/// <param name="Writes">--writes N: writes per reload-latency series.</param>
/// <param name="Backends">--backends a,b: the backends the harness measures (default: all).</param>
/// <param name="BenchmarkDotNetArguments">The arguments passed to BenchmarkDotNet.</param>
public sealed record BenchOptions(
    bool Smoke,
    bool RunBenchmarkDotNet,
    bool RunHarness,
    int Writes,
    IReadOnlyList<Backend> Backends,
    string[] BenchmarkDotNetArguments)
{
    /// <summary>Whether the caller chose a BenchmarkDotNet job.</summary>
    public bool HasJob => BenchmarkDotNetArguments.Any(a => a is "--job" or "-j");

    /// <summary>Parses the command line.</summary>
    /// <param name="args">The program's arguments.</param>
    public static BenchOptions Parse(string[] args)
    {
        var rest = new List<string>();
        bool smoke = false, harness = false;
        int? writes = null;
        IReadOnlyList<Backend> backends = Enum.GetValues<Backend>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--smoke":
                    smoke = true;
                    break;
                case "--harness":
                    harness = true;
                    break;
                case "--writes" when i + 1 < args.Length:
                    writes = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--backends" when i + 1 < args.Length:
                    backends = [.. args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(b => Enum.Parse<Backend>(b, ignoreCase: true))];
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }

        var filters = Filters(rest);
        var filterMatchesHarness = filters.Any(f => Glob(f).IsMatch("Harness.ReloadLatency"));
        return new BenchOptions(
            smoke,
            smoke || filters.Count > 0 || (!harness && rest.Count > 0),
            smoke || harness || filterMatchesHarness,
            writes ?? (smoke ? 3 : 100),
            backends,
            [.. rest]);
    }

    private static List<string> Filters(List<string> args)
    {
        var filters = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is "--filter" or "-f")
            {
                for (var j = i + 1; j < args.Count && !args[j].StartsWith('-'); j++)
                {
                    filters.Add(args[j]);
                }
            }
        }

        return filters;
    }

    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}
