using System.Diagnostics;
using System.Globalization;

namespace Valkeyrie.Testing.Servers;

/// <summary>Runs a backend's own command-line tool (etcdctl, consul, zkCli.sh) to completion, as an operator would.</summary>
public static class ToolProcess
{
    /// <summary>Runs <paramref name="startInfo"/> (its output is redirected here) and returns its standard output.</summary>
    /// <param name="startInfo">The executable and arguments.</param>
    /// <param name="what">What runs against what, for the failure message.</param>
    /// <param name="timeout">How long it may take.</param>
    /// <param name="cancellationToken">Cancels the run (the process is killed).</param>
    /// <exception cref="InvalidOperationException">The tool failed; the message holds its error output.</exception>
    public static async Task<string> RunAsync(ProcessStartInfo startInfo, string what, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(startInfo);
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            var message = (await error).Trim();
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{what} failed with exit code {process.ExitCode}: {message}"));
        }

        return await output;
    }
}
