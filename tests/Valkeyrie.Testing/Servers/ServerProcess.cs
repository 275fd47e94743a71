using System.Diagnostics;
using System.Globalization;

namespace Valkeyrie.Testing.Servers;

/// <summary>
/// A real server process on loopback ports with its own temporary data directory. It can be stopped
/// (politely or by a kill) and started again on the same ports and data, which fault tests use to
/// check that watches and locks survive a server restart. Disposing kills it and deletes the data.
/// </summary>
public abstract class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan s_probeTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_probeInterval = TimeSpan.FromMilliseconds(150);
    private static readonly TimeSpan s_portCloseTimeout = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly ServerOptions _options;
    private Process? _process;
    private bool _disposed;
    private volatile bool _frozen;

    /// <summary>Creates the launcher and its temporary data directory; nothing runs until <see cref="StartAsync"/>.</summary>
    /// <param name="name">The server's name in messages and in the temporary directory's name, e.g. "redis-server".</param>
    /// <param name="options">Timeouts.</param>
    protected ServerProcess(string name, ServerOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(options);
        Name = name;
        _options = options;
        DataDirectory = Directory.CreateTempSubdirectory($"valkeyrie-{name}-").FullName;
    }

    /// <summary>The server's name, e.g. "redis-server".</summary>
    public string Name { get; }

    /// <summary>The address the server listens on; always loopback (127.0.0.1 unless a cluster member takes another 127.0.0.x).</summary>
    public virtual string Host => "127.0.0.1";

    /// <summary>The port clients connect to.</summary>
    public abstract int Port { get; }

    /// <summary>The server's address in Valkeyrie's connection-string syntax, without credentials.</summary>
    public abstract string ConnectionString { get; }

    /// <summary>The temporary directory holding the server's data and configuration; deleted on dispose.</summary>
    public string DataDirectory { get; }

    /// <summary>True between a successful start and the next stop or kill.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The process id while running, for tests that signal the server themselves.</summary>
    public int? ProcessId => _process?.Id;

    /// <summary>The last lines the server printed, across restarts.</summary>
    public OutputTail Output { get; } = new();

    /// <summary>Every port the server listens on; after a stop none of them accepts connections.</summary>
    protected abstract IReadOnlyList<int> ListeningPorts { get; }

    /// <summary>The command that runs the server in the foreground; called on every start.</summary>
    protected abstract ProcessStartInfo CreateStartInfo();

    /// <summary>One readiness probe: true when the server serves requests. May throw while it does not.</summary>
    protected abstract Task<bool> IsReadyAsync(CancellationToken cancellationToken);

    /// <summary>Starts the server and waits until it serves requests.</summary>
    /// <exception cref="InvalidOperationException">It is already running, a port is taken, or it exited during startup.</exception>
    /// <exception cref="TimeoutException">It was not ready within the startup timeout; the message holds its output.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            if (_process is { HasExited: true })
            {
                // It died on its own (or a test signalled it): forget the old process and start afresh.
                await KillCoreAsync();
            }

            if (_process is not null)
            {
                throw new InvalidOperationException($"{Name} on {Host}:{Port} is already running.");
            }

            // A probe answered by someone else's server would make a start look successful.
            foreach (var port in ListeningPorts)
            {
                if (FreePort.IsListening(Host, port))
                {
                    throw new InvalidOperationException(
                        $"Cannot start {Name}: port {Host}:{port} is already taken by another process.");
                }
            }

            var process = Launch();
            try
            {
                await WaitUntilReadyAsync(process, cancellationToken);
            }
            catch
            {
                await KillCoreAsync();
                throw;
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Stops the server politely (SIGTERM, then a kill after the stop timeout) and waits until its ports are closed.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            if (_process is { } process)
            {
                Output.Add("launcher", "stopping (SIGTERM)");
                if (!process.HasExited && ProcessSignals.TryTerminate(process.Id))
                {
                    // A frozen process only acts on the SIGTERM once it runs again.
                    if (_frozen)
                    {
                        ProcessSignals.TryResume(process.Id);
                        _frozen = false;
                    }

                    using var timeout = new CancellationTokenSource(_options.StopTimeout);
                    try
                    {
                        await process.WaitForExitAsync(timeout.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        Output.Add("launcher", $"no exit within {_options.StopTimeout.TotalSeconds:0} s of SIGTERM; killing");
                    }
                }

                await KillCoreAsync();
            }

            await WaitUntilPortsClosedAsync(cancellationToken);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Kills the server at once (SIGKILL), as a crash would, and waits until its ports are closed.</summary>
    public async Task KillAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            await KillCoreAsync();
            await WaitUntilPortsClosedAsync(cancellationToken);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Freezes the running server (SIGSTOP), an outage that keeps everything it holds in memory: its port still accepts
    /// connections, but no request is answered, so clients time out as with a hung server or a network cut.
    /// </summary>
    /// <exception cref="InvalidOperationException">It is not running, or the signal could not be sent (not Linux or macOS).</exception>
    public void Freeze()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_process is not { HasExited: false } process || !ProcessSignals.TryFreeze(process.Id))
        {
            throw new InvalidOperationException($"Cannot freeze {Name} on {Host}:{Port}: it is not running, or SIGSTOP is not available here.");
        }

        _frozen = true;
        Output.Add("launcher", "frozen (SIGSTOP)");
    }

    /// <summary>Resumes a server stopped by <see cref="Freeze"/> (SIGCONT); it answers the requests that waited.</summary>
    /// <exception cref="InvalidOperationException">It is not running, or the signal could not be sent.</exception>
    public void Resume()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_process is not { HasExited: false } process || !ProcessSignals.TryResume(process.Id))
        {
            throw new InvalidOperationException($"Cannot resume {Name} on {Host}:{Port}: it is not running, or SIGCONT is not available here.");
        }

        _frozen = false;
        Output.Add("launcher", "resumed (SIGCONT)");
    }

    /// <summary>Stops the server politely and starts it again on the same ports with the same data.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync(cancellationToken);
        await StartAsync(cancellationToken);
    }

    /// <summary>Kills the server and deletes its data directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _lifecycle.WaitAsync();
        try
        {
            await KillCoreAsync();
            await DeleteDataDirectoryAsync();
        }
        finally
        {
            _lifecycle.Release();
            _lifecycle.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>A failure message naming the server, its address and its recent output.</summary>
    protected string Describe(string problem) =>
        string.Create(CultureInfo.InvariantCulture, $"{Name} on {Host}:{Port} {problem}. Recent output:{Environment.NewLine}{Output}");

    private Process Launch()
    {
        var startInfo = CreateStartInfo();
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardInput = true;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.WorkingDirectory = DataDirectory;

        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Output.Add("out", e.Data);
        process.ErrorDataReceived += (_, e) => Output.Add("err", e.Data);
        Output.Add("launcher", $"starting {startInfo.FileName} {string.Join(' ', startInfo.ArgumentList)}");
        process.Start();
        RunningProcesses.Add(process);
        _process = process;

        // Servers never read stdin; an immediate end of file keeps them from waiting on the test host's.
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitUntilReadyAsync(Process process, CancellationToken cancellationToken)
    {
        var elapsed = Stopwatch.StartNew();
        string lastProbe = "no probe finished yet";
        while (true)
        {
            if (process.HasExited)
            {
                // Let the output readers drain so the message shows why it exited.
                await process.WaitForExitAsync(cancellationToken);
                throw new InvalidOperationException(
                    Describe(string.Create(CultureInfo.InvariantCulture, $"exited with code {process.ExitCode} during startup")));
            }

            using (var probeTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                probeTimeout.CancelAfter(s_probeTimeout);
                try
                {
                    if (await IsReadyAsync(probeTimeout.Token))
                    {
                        Output.Add("launcher", string.Create(CultureInfo.InvariantCulture, $"ready after {elapsed.Elapsed.TotalSeconds:0.0} s"));
                        return;
                    }

                    lastProbe = "the server answered but is not ready yet";
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    lastProbe = $"{e.GetType().Name}: {e.Message}";
                }
            }

            if (elapsed.Elapsed > _options.StartupTimeout)
            {
                throw new TimeoutException(Describe(string.Create(CultureInfo.InvariantCulture,
                    $"was not ready within {_options.StartupTimeout.TotalSeconds:0} s (last probe: {lastProbe})")));
            }

            await Task.Delay(s_probeInterval, cancellationToken);
        }
    }

    private async Task KillCoreAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        try
        {
            if (!process.HasExited)
            {
                Output.Add("launcher", "killing");
                process.Kill(entireProcessTree: true);
            }

            using var timeout = new CancellationTokenSource(_options.StopTimeout);
            await process.WaitForExitAsync(timeout.Token);
            Output.Add("launcher", string.Create(CultureInfo.InvariantCulture, $"exited with code {process.ExitCode}"));
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            Output.Add("launcher", $"could not confirm the exit: {e.Message}");
        }
        finally
        {
            RunningProcesses.Remove(process);
            process.Dispose();
        }
    }

    private async Task WaitUntilPortsClosedAsync(CancellationToken cancellationToken)
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            var open = ListeningPorts.Where(port => FreePort.IsListening(Host, port)).ToList();
            if (open.Count == 0)
            {
                return;
            }

            if (elapsed.Elapsed > s_portCloseTimeout)
            {
                throw new InvalidOperationException(Describe(string.Create(CultureInfo.InvariantCulture,
                    $"stopped, but port {open[0]} still accepts connections after {s_portCloseTimeout.TotalSeconds:0} s")));
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    private async Task DeleteDataDirectoryAsync()
    {
        // A just-killed process may still be closing files; retry briefly instead of leaving the directory.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(DataDirectory))
                {
                    Directory.Delete(DataDirectory, recursive: true);
                }

                return;
            }
            catch (IOException) when (attempt < 10)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Starts a server the caller just created, disposing it when the start fails (each launcher's <c>StartNewAsync</c>).</summary>
    /// <typeparam name="TServer">The launcher type.</typeparam>
    /// <param name="server">The server, not started yet.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    protected static async Task<TServer> StartedAsync<TServer>(TServer server, CancellationToken cancellationToken)
        where TServer : ServerProcess
    {
        try
        {
            await server.StartAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }
}
