using System.Runtime.CompilerServices;
using Valkeyrie.Backends;

namespace Valkeyrie.Consul;

/// <summary>
/// The change feed of one watch. Consul's blocking queries answer with the whole key or tree once its index moves,
/// so the feed keeps the last answer and turns each new one into per-key events by comparing <c>ModifyIndex</c>es:
/// new or changed keys are puts (in index order), vanished keys are deletes. An index that goes backwards means the
/// servers' state was reset or restored, so continuity cannot be proven: the watch gets a fresh snapshot.
/// One instance serves one watch, which reads and resumes it sequentially.
/// </summary>
internal sealed class ConsulChangeFeed(ConsulKvStore store) : IKvChangeFeed
{
    private Dictionary<string, KvPair> _last = new(StringComparer.Ordinal);
    private ulong _index;

    public async Task<KvScopeSnapshot> ReadScopeAsync(KvScope scope, KvReadOptions options, CancellationToken cancellationToken)
    {
        var (entries, index) = await store.ReadAsync(scope, options, 0, cancellationToken).ConfigureAwait(false);
        _last = entries.ToDictionary(e => e.Pair.Key, e => e.Pair, StringComparer.Ordinal);
        // Consul documents that an index is never 0; guard anyway so blocking queries always block.
        _index = Math.Max(index, 1);
        return new KvScopeSnapshot([.. entries.Select(e => e.Pair)], _index);
    }

    public async IAsyncEnumerable<KvTreeChange> ReadChangesAsync(
        KvScope scope, ulong afterRevision, KvReadOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (afterRevision != _index)
        {
            throw new KvHistoryLostException($"consul: the watch of '{scope.Key}' holds the state at index {_index}, not {afterRevision}.");
        }

        while (true)
        {
            var (entries, index) = await store.ReadAsync(scope, options, _index, cancellationToken).ConfigureAwait(false);
            if (index < _index)
            {
                throw new KvHistoryLostException(
                    $"consul: the index of '{scope.Key}' went back from {_index} to {index} (servers restored or reset); resynchronising.");
            }

            if (index == _index)
            {
                continue; // the wait time ended without a change
            }

            var current = entries.ToDictionary(e => e.Pair.Key, e => e.Pair, StringComparer.Ordinal);
            var events = new List<KvEvent>();
            foreach (var entry in entries.OrderBy(e => e.Pair.LastIndex))
            {
                if (!_last.TryGetValue(entry.Pair.Key, out var before) || before.LastIndex != entry.Pair.LastIndex)
                {
                    events.Add(KvEvent.Put(entry.Pair));
                }
            }

            // Consul keeps no per-key record of deletes: they are reported at the index that revealed them.
            foreach (var key in _last.Keys.Where(k => !current.ContainsKey(k)).Order(KvKeys.Comparer))
            {
                events.Add(KvEvent.Delete(key, index));
            }

            _last = current;
            _index = index;
            yield return KvTreeChange.FromEvents(events, index);
        }
    }
}
