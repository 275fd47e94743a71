using System.Runtime.InteropServices;

namespace Valkeyrie.Testing.Servers;

/// <summary>
/// Sends SIGTERM, which .NET's Process class cannot: servers stopped politely flush their data
/// (Redis rewrites its append-only file, Consul and etcd close their stores cleanly).
/// </summary>
internal static class ProcessSignals
{
    private const int SigTerm = 15;

    /// <summary>Asks the process to terminate; false when the signal could not be sent.</summary>
    public static bool TryTerminate(int processId) =>
        OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() ? Kill(processId, SigTerm) == 0 : false;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
