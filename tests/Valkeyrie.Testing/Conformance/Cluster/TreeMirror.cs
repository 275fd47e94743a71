using System.Diagnostics;

namespace Valkeyrie.Testing.Conformance.Cluster;

/// <summary>
/// Applies a raw <see cref="IKvStore.WatchTreeAsync"/> stream to a dictionary in the background, as a cache would, and
/// records when each key first appeared, so a test can compare the mirror with the store and measure how far it lagged.
/// </summary>
public sealed class TreeMirror : IAsyncDisposable
{
    private readonly Dictionary<string, string> _state = [];
    private readonly Dictionary<string, TimeSpan> _firstSeen = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock;
    private readonly Task _loop;
    private int _snapshots;

    /// <summary>Starts watching <paramref name="prefix"/>.</summary>
    public TreeMirror(IKvStore store, string prefix, Stopwatch clock)
    {
        _clock = clock;
        _loop = Task.Run(() => RunAsync(store, prefix));
    }

    /// <summary>How many snapshots the watch yielded (1 without any resynchronisation).</summary>
    public int Snapshots => Volatile.Read(ref _snapshots);

    /// <summary>The watch's failure, if it ended by an exception (it must never end before disposal).</summary>
    public Task Completion => _loop;

    /// <summary>A copy of the mirrored tree.</summary>
    public Dictionary<string, string> State()
    {
        lock (_state)
        {
            return new Dictionary<string, string>(_state);
        }
    }

    /// <summary>When <paramref name="key"/> first appeared in the mirror, on the shared clock; null if it has not.</summary>
    public TimeSpan? FirstSeen(string key)
    {
        lock (_state)
        {
            return _firstSeen.TryGetValue(key, out var at) ? at : null;
        }
    }

    /// <summary>Applies one change to a dictionary of key to value: a snapshot replaces it, deltas update it.</summary>
    public static void Apply(Dictionary<string, string> state, KvTreeChange change)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(change);
        if (change.IsSnapshot)
        {
            state.Clear();
            foreach (var pair in change.Snapshot)
            {
                state[pair.Key] = pair.ValueAsString;
            }

            return;
        }

        foreach (var e in change.Events)
        {
            if (e.Kind == KvEventKind.Put)
            {
                state[e.Key] = e.Pair!.ValueAsString;
            }
            else
            {
                state.Remove(e.Key);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task RunAsync(IKvStore store, string prefix)
    {
        await foreach (var change in store.WatchTreeAsync(prefix, cancellationToken: _stop.Token))
        {
            lock (_state)
            {
                if (change.IsSnapshot)
                {
                    _snapshots++;
                }

                Apply(_state, change);
                foreach (var key in _state.Keys)
                {
                    _firstSeen.TryAdd(key, _clock.Elapsed);
                }
            }
        }
    }
}
