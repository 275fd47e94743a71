namespace Valkeyrie.Cli;

/// <summary>An error the CLI reports as one line on stderr with a given exit code.</summary>
internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
