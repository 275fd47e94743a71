namespace Valkeyrie.Configuration.Internal;

/// <summary>
/// One run of the provider's background work (a watch per prefix, the publisher and the prober), from a
/// <c>Load</c> to the next <c>Load</c> or to shutdown. Changes from an older session are ignored.
/// </summary>
internal sealed class WatchSession : IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    public WatchSession(int layerCount)
    {
        FirstSnapshots = [.. Enumerable.Range(0, layerCount).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))];
        Synchronized = new bool[layerCount];
        Token = _stop.Token;
    }

    public CancellationToken Token { get; }

    /// <summary>Completed when each prefix's first snapshot arrived; faulted by a permanent error before that.</summary>
    public TaskCompletionSource[] FirstSnapshots { get; }

    /// <summary>Which prefixes have delivered a snapshot in this session.</summary>
    public bool[] Synchronized { get; }

    public bool AllSynchronized => Array.TrueForAll(Synchronized, s => s);

    /// <summary>Whether <c>Load</c> has published; before that, changes only accumulate.</summary>
    public bool Loaded { get; set; }

    /// <summary>The latest error seen by a watch, to explain a startup timeout.</summary>
    public Exception? LastError { get; set; }

    /// <summary>Released once per burst of changes (at most one pending release).</summary>
    public SemaphoreSlim Dirty { get; } = new(0, 1);

    public List<Task> Tasks { get; } = [];

    public void Signal()
    {
        if (Dirty.CurrentCount == 0)
        {
            Dirty.Release();
        }
    }

    public void Cancel() => _stop.Cancel();

    /// <summary>Cancels the work and waits (bounded) for it to end, so nothing touches the store after this returns.</summary>
    public async Task StopAsync(TimeSpan wait)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(Tasks).WaitAsync(wait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A backend that ignores cancellation must not block shutdown forever.
        }
    }

    public void Dispose()
    {
        _stop.Dispose();
        Dirty.Dispose();
    }
}
