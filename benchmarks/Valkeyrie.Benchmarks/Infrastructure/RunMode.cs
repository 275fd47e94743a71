namespace Valkeyrie.Benchmarks.Infrastructure;

/// <summary>
/// Whether this process runs the smoke mode: BenchmarkDotNet's dry job in process and the smallest sizes, so CI
/// proves every benchmark still runs without measuring anything. Set from the command line, or from the
/// environment in a benchmark child process.
/// </summary>
public static class RunMode
{
    /// <summary>The environment variable that carries the smoke mode into child processes.</summary>
    public const string SmokeVariable = "VALKEYRIE_BENCH_SMOKE";

    /// <summary>Whether the smoke mode is on.</summary>
    public static bool IsSmoke { get; set; } = Environment.GetEnvironmentVariable(SmokeVariable) == "1";
}
