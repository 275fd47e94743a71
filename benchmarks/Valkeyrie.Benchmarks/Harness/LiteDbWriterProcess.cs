using System.Diagnostics;
using System.Globalization;

namespace Valkeyrie.Benchmarks.Harness;

/// <summary>
/// This benchmark executable started again in <see cref="LiteDbWriterMode"/> on the same LiteDB file, so the writes
/// come from another process. Its timestamps are comparable with this process's: <see cref="Stopwatch"/> reads a
/// machine-wide monotonic clock (CLOCK_MONOTONIC on Linux, QueryPerformanceCounter on Windows).
/// </summary>
public sealed class LiteDbWriterProcess : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;

    private LiteDbWriterProcess(Process process) => _process = process;

    /// <summary>Starts the writer and waits until it has opened the file.</summary>
    /// <param name="connectionString">The <c>litedb:</c> connection string the child opens.</param>
    public static async Task<LiteDbWriterProcess> StartAsync(string connectionString)
    {
        var executable = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark executable's path is unknown; cannot start the LiteDB writer process.");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };

        // Started as `dotnet Valkeyrie.Benchmarks.dll`: the host needs the assembly again.
        if (Path.GetFileNameWithoutExtension(executable) == "dotnet")
        {
            start.ArgumentList.Add(typeof(LiteDbWriterProcess).Assembly.Location);
        }

        start.ArgumentList.Add(LiteDbWriterMode.Switch);
        start.ArgumentList.Add(connectionString);
        var writer = new LiteDbWriterProcess(Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start."));
        try
        {
            var line = await writer.ReadLineAsync();
            return line == "ready" ? writer : throw new InvalidOperationException($"The LiteDB writer process said '{line}' instead of 'ready'.");
        }
        catch
        {
            await writer.DisposeAsync();
            throw;
        }
    }

    /// <summary>Has the child write <paramref name="port"/>; returns the timestamp it took just before the write.</summary>
    public async Task<long> WriteAsync(int port)
    {
        await _process.StandardInput.WriteLineAsync(port.ToString(CultureInfo.InvariantCulture));
        await _process.StandardInput.FlushAsync();
        return long.Parse(await ReadLineAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>Ends the child's input and waits for it to exit (killing it if it does not).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            await _process.WaitForExitAsync().WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task<string> ReadLineAsync() =>
        await _process.StandardOutput.ReadLineAsync().WaitAsync(Timeout)
        ?? throw new InvalidOperationException("The LiteDB writer process ended early; its error output is above.");
}
