namespace Valkeyrie.LiteDB;

/// <summary>
/// Wakes the poller when the database file or its log file changes on disk, so another process's write is noticed
/// within milliseconds instead of up to a poll interval. Events are only a hint: bursts collapse into one wake-up,
/// and where no events arrive (network file systems, the inotify limit reached) the poll interval still applies.
/// </summary>
internal sealed class LiteDbFileChanges : IDisposable
{
    private readonly SemaphoreSlim _changed = new(0, 1);
    private readonly FileSystemWatcher? _watcher;

    public LiteDbFileChanges(string fullPath)
    {
        try
        {
            // One watcher on the folder, filtered to "config.db" and "config-log.db" (LiteDB's write-ahead log).
            _watcher = new FileSystemWatcher(Path.GetDirectoryName(fullPath)!, Path.GetFileNameWithoutExtension(fullPath) + "*")
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName,
            };
            _watcher.Changed += (_, _) => Signal();
            _watcher.Created += (_, _) => Signal();
            _watcher.Renamed += (_, _) => Signal();
            _watcher.EnableRaisingEvents = true;
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            // No events here (e.g. the inotify instance limit): polling alone still finds every change.
            _watcher?.Dispose();
            _watcher = null;
        }
    }

    /// <summary>Waits for a change on disk (true) or <paramref name="timeout"/> (false), whichever comes first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _changed.WaitAsync(timeout, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        _watcher?.Dispose();
        _changed.Dispose();
    }

    private void Signal()
    {
        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // A wake-up is already pending.
        }
        catch (ObjectDisposedException)
        {
            // An event raced the poller's shutdown.
        }
    }
}
