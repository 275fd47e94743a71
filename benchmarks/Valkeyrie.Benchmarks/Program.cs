// Valkeyrie benchmarks. See docs/benchmarks.md for the results and how they were produced.
//
//   dotnet run -c Release --project benchmarks/Valkeyrie.Benchmarks -- --filter '*'     every group (BenchmarkDotNet + harness)
//   dotnet run -c Release --project benchmarks/Valkeyrie.Benchmarks -- --filter '*Binding*'
//   dotnet run -c Release --project benchmarks/Valkeyrie.Benchmarks -- --harness [--writes N] [--backends redis,etcd]
//   dotnet run -c Release --project benchmarks/Valkeyrie.Benchmarks -- --smoke         CI: everything once, tiny sizes
//   (--litedb-writer <connection string> is internal: the harness starts this program with it to write LiteDB from another process)
//
// BenchmarkDotNet runs a ShortRun-like job (1 launch, 3 warmups, 3 iterations) unless --job is given. The harness
// (reload latency and retained memory, which BenchmarkDotNet does not measure well) runs after BenchmarkDotNet when
// the filter matches "Harness" (as '*' does).
using Valkeyrie.Benchmarks.Harness;
using Valkeyrie.Benchmarks.Infrastructure;

if (args is [LiteDbWriterMode.Switch, var liteDbFile])
{
    return await LiteDbWriterMode.RunAsync(liteDbFile);
}

var options = BenchOptions.Parse(args);
RunMode.IsSmoke = options.Smoke;
if (options.Smoke)
{
    Environment.SetEnvironmentVariable(RunMode.SmokeVariable, "1");
}

var failed = false;
try
{
    if (options.RunBenchmarkDotNet)
    {
        failed |= !BenchmarkRunner.Run(options);
    }

    if (options.RunHarness)
    {
        failed |= !await HarnessRunner.RunAsync(options);
    }
}
finally
{
    await ServerPool.DisposeAllAsync();
}

Console.WriteLine(failed ? "benchmarks: FAILED" : "benchmarks: done");
return failed ? 1 : 0;
