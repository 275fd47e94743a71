using Valkeyrie;

namespace Valkeyrie.Generators.IntegrationTests;

/// <summary>
/// A test-only store over a dictionary, enough for sections (get, put, list, delete, transactions).
/// Swap for Valkeyrie's MemoryKvStore once it is on this branch.
/// </summary>
internal sealed class DictionaryKvStore : IKvStore
{
    private readonly object _gate = new();
    private readonly SortedDictionary<string, KvPair> _pairs = new(StringComparer.Ordinal);
    private ulong _index;

    public int Commits { get; private set; }

    public Task<KvPair?> GetAsync(string key, KvReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_pairs.GetValueOrDefault(KvKeys.Normalize(key)));
        }
    }

    public async Task<bool> ExistsAsync(string key, KvReadOptions? options = null, CancellationToken cancellationToken = default) =>
        await GetAsync(key, options, cancellationToken) is not null;

    public Task<KvPair> PutAsync(string key, ReadOnlyMemory<byte> value, KvWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(Put(KvKeys.Normalize(key), value));
        }
    }

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_pairs.Remove(KvKeys.Normalize(key)));
        }
    }

    public Task<IReadOnlyList<KvPair>> ListAsync(string prefix, KvReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var canonical = KvKeys.NormalizePrefix(prefix);
        lock (_gate)
        {
            IReadOnlyList<KvPair> list = _pairs.Values.Where(p => KvKeys.IsDescendant(p.Key, canonical)).ToList();
            return Task.FromResult(list);
        }
    }

    public Task<int> DeleteTreeAsync(string prefix, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<KvCasResult> AtomicPutAsync(string key, ReadOnlyMemory<byte> value, ulong expectedIndex, KvWriteOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<KvCasResult> AtomicDeleteAsync(string key, ulong expectedIndex, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool> CommitAsync(KvTransaction transaction, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Commits++;
            foreach (var check in transaction.Operations.Where(o => o.Kind == KvTransactionOperationKind.CheckIndex))
            {
                var current = _pairs.GetValueOrDefault(check.Key)?.LastIndex ?? 0;
                if (current != check.Index)
                {
                    return Task.FromResult(false);
                }
            }

            foreach (var operation in transaction.Operations)
            {
                if (operation.Kind == KvTransactionOperationKind.Put)
                {
                    Put(operation.Key, operation.Value);
                }
                else if (operation.Kind == KvTransactionOperationKind.Delete)
                {
                    _pairs.Remove(operation.Key);
                }
            }

            return Task.FromResult(true);
        }
    }

    public IAsyncEnumerable<KvPair?> WatchAsync(string key, KvReadOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public IAsyncEnumerable<KvTreeChange> WatchTreeAsync(string prefix, KvReadOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public IKvLock CreateLock(string key, KvLockOptions? options = null) => throw new NotSupportedException();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public string? Text(string key)
    {
        lock (_gate)
        {
            return _pairs.GetValueOrDefault(key)?.ValueAsString;
        }
    }

    public IReadOnlyList<string> Keys(string prefix)
    {
        lock (_gate)
        {
            return _pairs.Keys.Where(k => KvKeys.IsDescendant(k, prefix)).ToList();
        }
    }

    private KvPair Put(string key, ReadOnlyMemory<byte> value)
    {
        var pair = new KvPair(key, value.ToArray(), ++_index);
        _pairs[key] = pair;
        return pair;
    }
}
