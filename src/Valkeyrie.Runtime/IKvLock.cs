namespace Valkeyrie;

/// <summary>A distributed lock created by <see cref="IKvStore.CreateLock"/>.</summary>
public interface IKvLock
{
    /// <summary>The lock's canonical key.</summary>
    string Key { get; }

    /// <summary>
    /// Waits until the lock is held and returns the lease. The lease renews itself in the background until it is
    /// released or disposed, independently of <paramref name="cancellationToken"/>, which only cancels the wait.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait; nothing is left held when it fires.</param>
    Task<IKvLockLease> AcquireAsync(CancellationToken cancellationToken = default);
}

/// <summary>A held lock. Dispose or <see cref="ReleaseAsync"/> it to free the lock at once for the next waiter.</summary>
public interface IKvLockLease : IAsyncDisposable
{
    /// <summary>The lock's canonical key.</summary>
    string Key { get; }

    /// <summary>A fencing token: increases with each acquisition of the same key.</summary>
    ulong FencingToken { get; }

    /// <summary>Fires when the lock is lost (the lease could not be renewed in time, or the store took it away).</summary>
    CancellationToken Lost { get; }

    /// <summary>Releases the lock. Calling it more than once, or after the lock was lost, does nothing.</summary>
    Task ReleaseAsync();
}
