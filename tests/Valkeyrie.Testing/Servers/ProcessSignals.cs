using System.Runtime.InteropServices;

namespace Valkeyrie.Testing.Servers;

/// <summary>
/// Sends the signals .NET's Process class cannot: SIGTERM (servers stopped politely flush their data: Redis rewrites its
/// append-only file, Consul and etcd close their stores cleanly), and SIGSTOP/SIGCONT, which freeze and resume a server
/// without losing what it holds in memory.
/// </summary>
internal static class ProcessSignals
{
    private const int SigTerm = 15;

    /// <summary>Asks the process to terminate; false when the signal could not be sent.</summary>
    public static bool TryTerminate(int processId) => IsPosix && Kill(processId, SigTerm) == 0;

    /// <summary>Freezes the process (SIGSTOP): its sockets stay open, but nothing is answered until it is resumed.</summary>
    public static bool TryFreeze(int processId) => IsPosix && Kill(processId, OperatingSystem.IsMacOS() ? 17 : 19) == 0;

    /// <summary>Resumes a frozen process (SIGCONT).</summary>
    public static bool TryResume(int processId) => IsPosix && Kill(processId, OperatingSystem.IsMacOS() ? 19 : 18) == 0;

    private static bool IsPosix => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
