using System.Diagnostics;
using System.Text;

namespace Valkeyrie.Cli.Tests;

/// <summary>The outcome of one run of the tool.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr, byte[] StdoutBytes);

/// <summary>Runs the real tool: in process (same command tree, injected streams) or as a separate process.</summary>
public static class CliRun
{
    public static async Task<CliResult> InProcessAsync(string store, string? stdin, params string[] args)
    {
        var output = new MemoryStream();
        var error = new StringWriter();
        var input = new MemoryStream(Encoding.UTF8.GetBytes(stdin ?? string.Empty));
        var console = new CliConsole(input, output, error, interactive: false);
        var code = await CliApp.RunAsync([.. args, "--store", store], console);
        var bytes = output.ToArray();
        return new CliResult(code, Encoding.UTF8.GetString(bytes), error.ToString(), bytes);
    }

    /// <summary>The tool's dll, built next to the tests.</summary>
    public static string ToolPath => Path.Combine(AppContext.BaseDirectory, "valkeyrie.dll");

    /// <summary>Starts the tool as a separate process with redirected streams.</summary>
    public static Process Start(string store, params string[] args)
    {
        var start = CreateStartInfo(args);
        start.Environment["VALKEYRIE_STORE"] = store;
        return Process.Start(start)!;
    }

    public static Task<CliResult> ProcessAsync(string store, params string[] args) => CompleteAsync(Start(store, args));

    /// <summary>Runs the tool in <paramref name="directory"/> with neither --store nor $VALKEYRIE_STORE.</summary>
    public static Task<CliResult> ProcessWithoutStoreAsync(string directory, params string[] args)
    {
        var start = CreateStartInfo(args);
        start.WorkingDirectory = directory;
        start.Environment.Remove("VALKEYRIE_STORE");
        return CompleteAsync(Process.Start(start)!);
    }

    private static ProcessStartInfo CreateStartInfo(string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ToolPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    private static async Task<CliResult> CompleteAsync(Process started)
    {
        using var process = started;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        var text = await stdout;
        return new CliResult(process.ExitCode, text, await stderr, Encoding.UTF8.GetBytes(text));
    }
}
