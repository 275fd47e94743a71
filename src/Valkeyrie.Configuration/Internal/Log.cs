using Microsoft.Extensions.Logging;

namespace Valkeyrie.Configuration.Internal;

/// <summary>
/// The provider's log events. They carry prefixes, key counts and exceptions (whose messages never hold values
/// or secrets), never configuration values. Event ids are documented in docs/configuration.md.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Loaded {KeyCount} configuration keys from {Store} (prefixes: {Prefixes}) in {ElapsedMs:0} ms.")]
    public static partial void Loaded(ILogger logger, int keyCount, string store, string prefixes, double elapsedMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Configuration from {Store} reloaded (changed keys: {ChangedCount}), {LatencyMs:0} ms after the first change arrived.")]
    public static partial void Reloaded(ILogger logger, string store, int changedCount, double latencyMs);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "The watch of prefix '{Prefix}' on {Store} failed; the last good data is kept and the watch restarts in {RetryMs:0} ms.")]
    public static partial void WatchFailed(ILogger logger, Exception exception, string prefix, string store, double retryMs);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Could not load configuration from {Store} (prefixes: {Prefixes}).")]
    public static partial void LoadFailed(ILogger logger, Exception exception, string store, string prefixes);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "{Store} is unreachable; started with {KeyCount} keys from the snapshot file {Path} saved at {SavedAt:O}. The provider keeps trying the store.")]
    public static partial void StartedFromSnapshotFile(ILogger logger, Exception exception, string store, int keyCount, string path, DateTimeOffset savedAt);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "{Store} is unreachable; started with no configuration from it because the source is optional or the error was ignored.")]
    public static partial void StartedEmpty(ILogger logger, Exception exception, string store);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Could not write the configuration snapshot file {Path}.")]
    public static partial void SnapshotWriteFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "Could not read the configuration snapshot file {Path}; it is ignored.")]
    public static partial void SnapshotReadFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "The store {Store} was disposed while the configuration provider was watching it; the data no longer changes.")]
    public static partial void StoreDisposed(ILogger logger, string store);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Configuration from {Store} is current again (prefix '{Prefix}' resynchronised).")]
    public static partial void Recovered(ILogger logger, string store, string prefix);

    [LoggerMessage(EventId = 11, Level = LogLevel.Debug, Message = "Stopped watching {Store}.")]
    public static partial void Stopped(ILogger logger, string store);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "A configuration change handler threw; the provider keeps running.")]
    public static partial void HandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 13, Level = LogLevel.Debug, Message = "The store {Store} did not answer a probe.")]
    public static partial void ProbeFailed(ILogger logger, Exception exception, string store);

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "The reloaded section {Section} ({Path}) is invalid; the last valid value is kept.")]
    public static partial void SectionRejected(ILogger logger, Exception exception, string section, string path);

    [LoggerMessage(EventId = 21, Level = LogLevel.Debug, Message = "Section {Section} ({Path}) reloaded.")]
    public static partial void SectionReloaded(ILogger logger, string section, string path);
}
