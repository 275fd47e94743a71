using System.Diagnostics;
using System.Reflection;

namespace Valkeyrie.LiteDB.Tests;

/// <summary>Runs tests/Valkeyrie.LiteDB.TestWriter as a separate process on a database file.</summary>
public sealed class TestWriterProcess : IAsyncDisposable
{
    private readonly Process _process;

    private TestWriterProcess(Process process) => _process = process;

    /// <summary>Starts the writer with <paramref name="arguments"/>; read its lines with <see cref="ReadLineAsync"/>.</summary>
    public static TestWriterProcess Start(params string[] arguments)
    {
        var dll = typeof(TestWriterProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "TestWriterPath").Value!;
        if (!File.Exists(dll))
        {
            Assert.Fail($"The test writer was not built at {dll}; build tests/Valkeyrie.LiteDB.Tests (it builds the writer too).");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new TestWriterProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    /// <summary>Runs the writer to completion and returns its output lines.</summary>
    public static async Task<string[]> RunAsync(params string[] arguments)
    {
        await using var writer = Start(arguments);
        var output = await writer._process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await writer.ExitAsync();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public async Task<string> ReadLineAsync()
    {
        var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (line is null)
        {
            Assert.Fail($"The test writer ended early: {await _process.StandardError.ReadToEndAsync()}");
        }

        return line!;
    }

    public Task WriteLineAsync(string line) => _process.StandardInput.WriteLineAsync(line);

    /// <summary>Waits for the writer to exit and fails the test if it did not succeed.</summary>
    public async Task ExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (_process.ExitCode != 0)
        {
            Assert.Fail($"The test writer failed with exit code {_process.ExitCode}: {await _process.StandardError.ReadToEndAsync()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
