namespace Valkeyrie.Testing.Servers;

/// <summary>Settings every launcher shares.</summary>
public class ServerOptions
{
    /// <summary>How long a start may take before it fails with the server's output. Generous: CI machines are shared.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a polite stop (SIGTERM) may take before the process is killed.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
