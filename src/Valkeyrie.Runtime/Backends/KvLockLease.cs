namespace Valkeyrie.Backends;

/// <summary>
/// The shared half of a lock lease: background renewal through <see cref="KvLeaseKeeper"/>, <see cref="Lost"/>,
/// and release-once. A backend derives from it and supplies renewal and release.
/// </summary>
public abstract class KvLockLease : IKvLockLease
{
    private readonly KvLeaseKeeper _keeper;
    private int _released;

    /// <summary>Creates the lease; the backend calls <see cref="StartRenewing"/> once it is fully constructed.</summary>
    /// <param name="key">The lock's canonical key.</param>
    /// <param name="fencingToken">The fencing token of this acquisition.</param>
    /// <param name="ttl">The lease's time to live.</param>
    /// <param name="timeProvider">The clock; the system clock by default.</param>
    protected KvLockLease(string key, ulong fencingToken, TimeSpan ttl, TimeProvider? timeProvider = null)
    {
        Key = key;
        FencingToken = fencingToken;
        Ttl = ttl;
        _keeper = new KvLeaseKeeper(ttl, RenewAsync, timeProvider);
    }

    /// <inheritdoc />
    public string Key { get; }

    /// <inheritdoc />
    public ulong FencingToken { get; }

    /// <summary>The lease's time to live.</summary>
    public TimeSpan Ttl { get; }

    /// <inheritdoc />
    public CancellationToken Lost => _keeper.Lost;

    /// <summary>Whether the lease was released by its owner.</summary>
    public bool IsReleased => Volatile.Read(ref _released) != 0;

    /// <summary>Starts the background renewal.</summary>
    public void StartRenewing() => _keeper.Start();

    /// <inheritdoc />
    public async Task ReleaseAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        await _keeper.StopAsync().ConfigureAwait(false);
        if (!Lost.IsCancellationRequested)
        {
            await ReleaseCoreAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Releases the lock.</summary>
    public async ValueTask DisposeAsync()
    {
        await ReleaseAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops renewing without releasing and signals <see cref="Lost"/>: the store is disposed, as if the process died.</summary>
    public async Task AbandonAsync()
    {
        Interlocked.Exchange(ref _released, 1);
        await _keeper.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Renews the lease; <see langword="false"/> when the lock is no longer held by this lease.</summary>
    /// <param name="cancellationToken">Fires when renewing stops.</param>
    protected abstract Task<bool> RenewAsync(CancellationToken cancellationToken);

    /// <summary>Frees the lock at once for the next waiter.</summary>
    protected abstract Task ReleaseCoreAsync();
}
