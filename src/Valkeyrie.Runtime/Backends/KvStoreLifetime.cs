using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Valkeyrie.Backends;

/// <summary>
/// The disposal state every store shares: a token that ends its watches and background loops, and the keep-alive
/// renewals and lock leases to abandon — stopped without releasing anything, as if the process died, so those keys and
/// locks expire within their TTL. Thread-safe.
/// </summary>
[SuppressMessage("Reliability", "CA1001", Justification = "The token is handed to watches that may still be finishing when the store is disposed; a cancelled source without a timer holds nothing the GC cannot collect.")]
public sealed class KvStoreLifetime
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<object, Func<Task>> _abandon = new();
    private int _stopped;

    /// <summary>Cancelled when the store is disposed.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Whether the store has been disposed.</summary>
    public bool IsStopped => Volatile.Read(ref _stopped) != 0;

    /// <summary>Throws <see cref="ObjectDisposedException"/> for <paramref name="store"/> once it is disposed.</summary>
    /// <param name="store">The store, named in the exception.</param>
    public void ThrowIfStopped(object store) => ObjectDisposedException.ThrowIf(IsStopped, store);

    /// <summary>Registers <paramref name="abandon"/> to run when the store is disposed (replacing any for the same owner).</summary>
    /// <param name="owner">The lease or keeper, used to untrack it.</param>
    /// <param name="abandon">Stops its renewal without releasing.</param>
    public void Track(object owner, Func<Task> abandon) => _abandon[owner] = abandon;

    /// <summary>Forgets an owner that was released or is no longer renewed.</summary>
    /// <param name="owner">The owner given to <see cref="Track"/>.</param>
    public void Untrack(object owner) => _abandon.TryRemove(owner, out _);

    /// <summary>
    /// Cancels <see cref="Stopping"/> and abandons everything tracked. Returns <see langword="true"/> for the first call
    /// only, so the store closes its client exactly once.
    /// </summary>
    public async ValueTask<bool> StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return false;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var owner in _abandon.Keys)
        {
            if (_abandon.TryRemove(owner, out var abandon))
            {
                await abandon().ConfigureAwait(false);
            }
        }

        return true;
    }
}
