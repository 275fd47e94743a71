using Valkeyrie.Backends;

namespace Valkeyrie;

/// <summary>
/// The data behind one in-memory store, shared by every client of the same name: sorted entries, a global
/// revision, a bounded change log for watches, and expiry of TTL entries. All members must be called under
/// <see cref="Gate"/>.
/// </summary>
internal sealed class MemoryKvState
{
    // Enough history for any watcher that is merely slow; one that falls further behind gets a snapshot.
    private const int MaxLogBatches = 10_000;

    private readonly SortedDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Queue<KvTreeChange> _log = new();
    private readonly PriorityQueue<string, long> _expiries = new();
    private TaskCompletionSource _changed = NewSignal();
    private ITimer? _sweeper;

    public MemoryKvState(TimeProvider time) => Time = time;

    public object Gate { get; } = new();

    public TimeProvider Time { get; }

    public ulong Revision { get; private set; }

    /// <summary>The highest revision no longer in the log: changes after it are all retained.</summary>
    public ulong TrimmedThrough { get; private set; }

    /// <summary>Completes at the next change; read it under the gate together with the data it guards.</summary>
    public Task Changed => _changed.Task;

    public IEnumerable<KvTreeChange> Log => _log;

    public Entry? Find(string key)
    {
        SweepExpired();
        return _entries.GetValueOrDefault(key);
    }

    public IEnumerable<Entry> Scan(KvScope scope)
    {
        SweepExpired();
        if (!scope.IsTree)
        {
            return _entries.TryGetValue(scope.Key, out var entry) ? [entry] : [];
        }

        return _entries.Values.Where(e => scope.Contains(e.Pair.Key));
    }

    /// <summary>Starts a write: every change of one call gets the same new revision.</summary>
    public Batch Begin()
    {
        SweepExpired();
        return new Batch(this, Revision + 1);
    }

    public bool Renew(string key, ulong index, TimeSpan ttl)
    {
        SweepExpired();
        if (!_entries.TryGetValue(key, out var entry) || entry.Pair.LastIndex != index)
        {
            return false;
        }

        var expiresAt = Time.GetTimestamp() + ToTicks(ttl);
        _entries[key] = entry with { ExpiresAt = expiresAt };
        _expiries.Enqueue(key, expiresAt);
        return true;
    }

    private void SweepExpired()
    {
        var now = Time.GetTimestamp();
        List<KvEvent>? expired = null;
        while (_expiries.TryPeek(out var key, out var at) && at <= now)
        {
            _expiries.Dequeue();
            if (_entries.TryGetValue(key, out var entry) && entry.ExpiresAt is { } expiresAt && expiresAt <= now)
            {
                _entries.Remove(key);
                (expired ??= []).Add(KvEvent.Delete(key, Revision + 1));
            }
        }

        if (expired is not null)
        {
            Publish(expired);
        }
    }

    private void Publish(List<KvEvent> events)
    {
        Revision++;
        _log.Enqueue(KvTreeChange.FromEvents(events, Revision));
        while (_log.Count > MaxLogBatches)
        {
            TrimmedThrough = _log.Dequeue().Revision;
        }

        var changed = _changed;
        _changed = NewSignal();
        changed.SetResult();
    }

    private void EnsureSweeper()
    {
        // Expired keys must be reported to watchers even when nobody touches the store.
        _sweeper ??= Time.CreateTimer(
            _ =>
            {
                lock (Gate)
                {
                    SweepExpired();
                }
            },
            null,
            TimeSpan.FromMilliseconds(50),
            TimeSpan.FromMilliseconds(50));
    }

    private long ToTicks(TimeSpan ttl) => (long)(ttl.TotalSeconds * Time.TimestampFrequency);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal sealed record Entry(KvPair Pair, long? ExpiresAt);

    /// <summary>The changes of one write call, published together with one revision.</summary>
    internal sealed class Batch(MemoryKvState state, ulong revision)
    {
        private readonly List<KvEvent> _events = [];

        public ulong Revision => revision;

        public KvPair Put(string key, ReadOnlyMemory<byte> value, TimeSpan? ttl)
        {
            var pair = new KvPair(key, value.ToArray(), revision);
            long? expiresAt = null;
            if (ttl is { } t)
            {
                expiresAt = state.Time.GetTimestamp() + state.ToTicks(t);
                state._expiries.Enqueue(key, expiresAt.Value);
                state.EnsureSweeper();
            }

            state._entries[key] = new Entry(pair, expiresAt);
            _events.Add(KvEvent.Put(pair));
            return pair;
        }

        public bool Delete(string key)
        {
            if (!state._entries.Remove(key))
            {
                return false;
            }

            _events.Add(KvEvent.Delete(key, revision));
            return true;
        }

        public void Publish()
        {
            if (_events.Count > 0)
            {
                state.Publish(_events);
            }
        }
    }
}
