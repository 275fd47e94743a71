using System.Collections.Concurrent;
using System.Diagnostics;

namespace Valkeyrie.Testing.Servers;

/// <summary>
/// Every server process the launchers started and have not stopped yet, so they can be killed when
/// the test host exits without disposing them (a crashed or aborted run must not leave servers behind).
/// </summary>
internal static class RunningProcesses
{
    private static readonly ConcurrentDictionary<int, Process> s_running = new();

    static RunningProcesses() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();

    public static void Add(Process process) => s_running[process.Id] = process;

    public static void Remove(Process process) => s_running.TryRemove(process.Id, out _);

    private static void KillAll()
    {
        foreach (var process in s_running.Values)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
            {
                // Already gone, or not ours to kill any more: nothing left to clean up.
            }
        }
    }
}
