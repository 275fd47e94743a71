using System.Collections.Concurrent;

namespace Valkeyrie.Backends;

/// <summary>
/// What a store must stop when it is disposed — keep-alive renewals, lock leases — without releasing anything, as if
/// the process died: those keys and locks then expire within their TTL. Thread-safe.
/// </summary>
public sealed class KvAbandonList
{
    private readonly ConcurrentDictionary<object, Func<Task>> _items = new();

    /// <summary>Registers <paramref name="abandon"/> to run when the store is disposed (replacing any for the same owner).</summary>
    /// <param name="owner">The lease or keeper, used to untrack it.</param>
    /// <param name="abandon">Stops its renewal without releasing.</param>
    public void Track(object owner, Func<Task> abandon) => _items[owner] = abandon;

    /// <summary>Forgets an owner that was released or is no longer renewed.</summary>
    /// <param name="owner">The owner given to <see cref="Track"/>.</param>
    public void Untrack(object owner) => _items.TryRemove(owner, out _);

    /// <summary>Abandons everything tracked, once.</summary>
    public async Task AbandonAllAsync()
    {
        foreach (var owner in _items.Keys)
        {
            if (_items.TryRemove(owner, out var abandon))
            {
                await abandon().ConfigureAwait(false);
            }
        }
    }
}
