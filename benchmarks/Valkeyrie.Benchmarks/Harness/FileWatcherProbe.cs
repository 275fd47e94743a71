using System.Diagnostics;

namespace Valkeyrie.Benchmarks.Harness;

/// <summary>
/// The cross-process LiteDB floor. LiteDB has no change notification, so the earliest a reader in another process
/// can learn of a write is the operating system telling it the file changed: a <see cref="FileSystemWatcher"/>
/// (inotify on Linux) on the database file and its <c>-log</c> file, timestamped at the first change event. It knows
/// neither the key nor the value, and a real reader would still have to open the file and read the change.
/// </summary>
public sealed class FileWatcherProbe(string databasePath) : IReloadProbe
{
    private FileSystemWatcher? _watcher;

    /// <inheritdoc />
    public string Name => "floor: FileSystemWatcher on the file";

    /// <inheritdoc />
    public Task StartAsync(Action<int?, long> onNotified)
    {
        var fullPath = Path.GetFullPath(databasePath);
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(fullPath)!, Path.GetFileNameWithoutExtension(fullPath) + "*")
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName,
        };
        _watcher.Changed += (_, _) => onNotified(null, Stopwatch.GetTimestamp());
        _watcher.Created += (_, _) => onNotified(null, Stopwatch.GetTimestamp());
        _watcher.EnableRaisingEvents = true;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _watcher?.Dispose();
        return ValueTask.CompletedTask;
    }
}
