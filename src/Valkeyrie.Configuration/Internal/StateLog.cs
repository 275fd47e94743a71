using Microsoft.Extensions.Logging;

namespace Valkeyrie.Configuration.Internal;

/// <summary>
/// The provider's state-change events: each outage is one warning when it starts and one information when the data is
/// current again, whatever noticed it (a probe, the health check, the watch). Causes are carried as the exception's
/// type and message (which never hold values or secrets), not the exception, so an outage logs no stack traces.
/// Event ids are documented in docs/configuration.md.
/// </summary>
internal static partial class StateLog
{
    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "{Store} is unavailable ({CauseType}: {Cause}); the last good configuration ({KeyCount} keys) is served while the store is retried in the background (next check in {RetryMs:0} ms).")]
    public static partial void Unavailable(ILogger logger, string store, string causeType, string cause, int keyCount, double retryMs);

    [LoggerMessage(EventId = 31, Level = LogLevel.Information, Message = "{Store} answers again after {OutageSeconds:0.#} s; the watch resumes where it stopped, so changes made meanwhile arrive as one reload.")]
    public static partial void Available(ILogger logger, string store, double outageSeconds);

    [LoggerMessage(EventId = 32, Level = LogLevel.Information, Message = "Configuration from {Store} (prefix '{Prefix}') resynchronised from a fresh snapshot of {KeyCount} keys: the watch could not prove it missed nothing.")]
    public static partial void Resynchronised(ILogger logger, string store, string prefix, int keyCount);
}
