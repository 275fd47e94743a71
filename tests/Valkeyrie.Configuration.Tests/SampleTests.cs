using System.Diagnostics;
using System.Reflection;

namespace Valkeyrie.Configuration.Tests;

/// <summary>Runs the README's sample as a process, as a user would, on a LiteDB file of its own.</summary>
public sealed class SampleTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("valkeyrie-sample-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task The_sample_seeds_prints_the_typed_settings_shows_a_live_reload_and_exits_0()
    {
        var (exitCode, output) = await RunSampleAsync();

        Assert.True(exitCode == 0, $"The sample exited with {exitCode}:\n{output}");
        Assert.Contains("Typed settings: Host=db.internal, Port=5432", output, StringComparison.Ordinal);
        Assert.Contains("Operator set app/db/Port = 5433", output, StringComparison.Ordinal);
        Assert.Matches(@"Live reload seen through IOptionsMonitor after \d+ ms: Host=db\.internal, Port=5433", output);
    }

    [Fact]
    public async Task The_sample_runs_again_on_the_same_file()
    {
        Assert.Equal(0, (await RunSampleAsync()).ExitCode);
        var (exitCode, output) = await RunSampleAsync();
        Assert.True(exitCode == 0, output);
        Assert.Contains("Live reload seen", output, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output)> RunSampleAsync()
    {
        var sample = typeof(SampleTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SamplePath").Value!;
        Assert.True(File.Exists(sample), $"The sample was not built at {sample}.");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(sample);
        start.Environment.Remove("VALKEYRIE_CONNECTION");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The sample did not exit within 2 minutes:\n{await stdout}\n{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
