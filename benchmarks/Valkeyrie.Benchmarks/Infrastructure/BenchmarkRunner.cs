using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Valkeyrie.Benchmarks.Infrastructure;

/// <summary>Runs the BenchmarkDotNet groups with this project's default job.</summary>
public static class BenchmarkRunner
{
    /// <summary>Runs the benchmarks the arguments select; false when one failed.</summary>
    /// <param name="options">The command line.</param>
    public static bool Run(BenchOptions options)
    {
        // The child project's build takes over BenchmarkDotNet's default 2 minutes when other builds share the 2 cores.
        var config = ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(10));
        var arguments = options.BenchmarkDotNetArguments;
        if (options.Smoke)
        {
            // In process: no child project to build, and the server pool starts each server once.
            config = config.AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).WithId("Smoke"));
            arguments = arguments.Any(a => a is "--filter" or "-f") ? arguments : [.. arguments, "--filter", "*"];
        }
        else if (!options.HasJob)
        {
            // ShortRun: the machine is shared, so the whole suite has to fit in about 25 minutes.
            config = config.AddJob(Job.ShortRun.WithId("ShortRun"));
        }

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(BenchmarkRunner).Assembly).Run(arguments, config);
        var ok = true;
        foreach (var summary in summaries)
        {
            if (summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success) || summary.Reports.Length != summary.BenchmarksCases.Length)
            {
                Console.WriteLine($"benchmarks: {summary.Title} has failed or missing benchmarks");
                ok = false;
            }
        }

        return ok;
    }
}
