using System.Runtime.CompilerServices;
using Valkeyrie.Backends;

namespace Valkeyrie.Configuration.Tests.Support;

/// <summary>
/// A memory store whose every call fails with <see cref="KvUnavailableException"/> while "down", and whose open watch
/// streams break when it goes down, so outages can be simulated. Writes made meanwhile go to <see cref="Inner"/>.
/// </summary>
public sealed class FlakyStore : IKvStore, IKvChangeFeed
{
    private readonly MemoryKvStore _inner = new();
    private readonly CancellationTokenSource _disposed = new();
    private CancellationTokenSource _up = new();

    public FlakyStore(bool down = false)
    {
        if (down)
        {
            GoDown();
        }
    }

    /// <summary>The real store, reachable even while this one is down (another client during the outage).</summary>
    public MemoryKvStore Inner => _inner;

    public bool IsDown { get; private set; }

    public void GoDown()
    {
        IsDown = true;
        _up.Cancel();
    }

    public void ComeUp()
    {
        _up = new CancellationTokenSource();
        IsDown = false;
    }

    public Task<KvPair?> GetAsync(string key, KvReadOptions? options = null, CancellationToken cancellationToken = default) { Check(); return _inner.GetAsync(key, options, cancellationToken); }

    public Task<bool> ExistsAsync(string key, KvReadOptions? options = null, CancellationToken cancellationToken = default) { Check(); return _inner.ExistsAsync(key, options, cancellationToken); }

    public Task<KvPair> PutAsync(string key, ReadOnlyMemory<byte> value, KvWriteOptions? options = null, CancellationToken cancellationToken = default) { Check(); return _inner.PutAsync(key, value, options, cancellationToken); }

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) { Check(); return _inner.DeleteAsync(key, cancellationToken); }

    public Task<IReadOnlyList<KvPair>> ListAsync(string prefix, KvReadOptions? options = null, CancellationToken cancellationToken = default) { Check(); return _inner.ListAsync(prefix, options, cancellationToken); }

    public Task<int> DeleteTreeAsync(string prefix, CancellationToken cancellationToken = default) { Check(); return _inner.DeleteTreeAsync(prefix, cancellationToken); }

    public Task<KvCasResult> AtomicPutAsync(string key, ReadOnlyMemory<byte> value, ulong expectedIndex, KvWriteOptions? options = null, CancellationToken cancellationToken = default) { Check(); return _inner.AtomicPutAsync(key, value, expectedIndex, options, cancellationToken); }

    public Task<KvCasResult> AtomicDeleteAsync(string key, ulong expectedIndex, CancellationToken cancellationToken = default) { Check(); return _inner.AtomicDeleteAsync(key, expectedIndex, cancellationToken); }

    public Task<bool> CommitAsync(KvTransaction transaction, CancellationToken cancellationToken = default) { Check(); return _inner.CommitAsync(transaction, cancellationToken); }

    public IAsyncEnumerable<KvPair?> WatchAsync(string key, KvReadOptions? options = null, CancellationToken cancellationToken = default) =>
        KvWatchStreams.WatchKeyAsync(this, key, options, _disposed.Token, cancellationToken);

    public IAsyncEnumerable<KvTreeChange> WatchTreeAsync(string prefix, KvReadOptions? options = null, CancellationToken cancellationToken = default) =>
        KvWatchStreams.WatchTreeAsync(this, prefix, options, _disposed.Token, cancellationToken);

    public IKvLock CreateLock(string key, KvLockOptions? options = null) => _inner.CreateLock(key, options);

    Task<KvScopeSnapshot> IKvChangeFeed.ReadScopeAsync(KvScope scope, KvReadOptions options, CancellationToken cancellationToken)
    {
        Check();
        return ((IKvChangeFeed)_inner).ReadScopeAsync(scope, options, cancellationToken);
    }

    async IAsyncEnumerable<KvTreeChange> IKvChangeFeed.ReadChangesAsync(
        KvScope scope, ulong afterRevision, KvReadOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Check();
        var up = _up;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, up.Token);
        var changes = ((IKvChangeFeed)_inner).ReadChangesAsync(scope, afterRevision, options, linked.Token).GetAsyncEnumerator(linked.Token);
        try
        {
            while (true)
            {
                try
                {
                    if (!await changes.MoveNextAsync())
                    {
                        yield break;
                    }
                }
                catch (OperationCanceledException) when (up.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw Unavailable();
                }

                Check();
                yield return changes.Current;
            }
        }
        finally
        {
            await changes.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed.Cancel();
        await _inner.DisposeAsync();
    }

    private void Check()
    {
        if (IsDown)
        {
            throw Unavailable();
        }
    }

    private static KvUnavailableException Unavailable() => new("flaky", "test", null, "the store is down (simulated outage).");
}
