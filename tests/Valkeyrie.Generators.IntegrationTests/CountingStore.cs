using System.Text;

namespace Valkeyrie.Generators.IntegrationTests;

/// <summary>The in-memory store, counting transactions so tests can prove a save is one commit.</summary>
internal sealed class CountingStore : IKvStore
{
    private readonly MemoryKvStore _inner = new();

    public int Commits { get; private set; }

    public string? Text(string key) => _inner.GetAsync(key).GetAwaiter().GetResult() is { } pair ? Encoding.UTF8.GetString(pair.Value.Span) : null;

    public IReadOnlyList<string> Keys(string prefix) => [.. _inner.ListAsync(prefix).GetAwaiter().GetResult().Select(p => p.Key)];

    public Task<bool> CommitAsync(KvTransaction transaction, CancellationToken cancellationToken = default)
    {
        Commits++;
        return _inner.CommitAsync(transaction, cancellationToken);
    }

    public Task<KvPair?> GetAsync(string key, KvReadOptions? options = null, CancellationToken cancellationToken = default) => _inner.GetAsync(key, options, cancellationToken);

    public Task<bool> ExistsAsync(string key, KvReadOptions? options = null, CancellationToken cancellationToken = default) => _inner.ExistsAsync(key, options, cancellationToken);

    public Task<KvPair> PutAsync(string key, ReadOnlyMemory<byte> value, KvWriteOptions? options = null, CancellationToken cancellationToken = default) => _inner.PutAsync(key, value, options, cancellationToken);

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => _inner.DeleteAsync(key, cancellationToken);

    public Task<IReadOnlyList<KvPair>> ListAsync(string prefix, KvReadOptions? options = null, CancellationToken cancellationToken = default) => _inner.ListAsync(prefix, options, cancellationToken);

    public Task<int> DeleteTreeAsync(string prefix, CancellationToken cancellationToken = default) => _inner.DeleteTreeAsync(prefix, cancellationToken);

    public Task<KvCasResult> AtomicPutAsync(string key, ReadOnlyMemory<byte> value, ulong expectedIndex, KvWriteOptions? options = null, CancellationToken cancellationToken = default) => _inner.AtomicPutAsync(key, value, expectedIndex, options, cancellationToken);

    public Task<KvCasResult> AtomicDeleteAsync(string key, ulong expectedIndex, CancellationToken cancellationToken = default) => _inner.AtomicDeleteAsync(key, expectedIndex, cancellationToken);

    public IAsyncEnumerable<KvPair?> WatchAsync(string key, KvReadOptions? options = null, CancellationToken cancellationToken = default) => _inner.WatchAsync(key, options, cancellationToken);

    public IAsyncEnumerable<KvTreeChange> WatchTreeAsync(string prefix, KvReadOptions? options = null, CancellationToken cancellationToken = default) => _inner.WatchTreeAsync(prefix, options, cancellationToken);

    public IKvLock CreateLock(string key, KvLockOptions? options = null) => _inner.CreateLock(key, options);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
