namespace Valkeyrie.Backends;

/// <summary>
/// Capped exponential backoff with full jitter, for retrying transient failures without synchronised
/// retry storms across many clients. Not thread-safe: one instance per retry loop.
/// </summary>
public sealed class KvBackoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private int _attempt;

    /// <summary>Creates a backoff.</summary>
    /// <param name="initial">The ceiling of the first delay.</param>
    /// <param name="max">The largest ceiling any delay can have.</param>
    public KvBackoff(TimeSpan initial, TimeSpan max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, initial);
        _initial = initial;
        _max = max;
    }

    /// <summary>A backoff from 100 ms up to 5 s: quick to recover from a restart, gentle on a store that is down.</summary>
    public static KvBackoff CreateDefault() => new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));

    /// <summary>The next delay: random between half the current ceiling and the ceiling, which doubles each attempt up to the cap.</summary>
    public TimeSpan NextDelay()
    {
        var ceiling = Math.Min(_max.TotalMilliseconds, _initial.TotalMilliseconds * Math.Pow(2, Math.Min(_attempt, 30)));
        _attempt++;
#pragma warning disable CA5394 // Jitter needs no cryptographic randomness.
        return TimeSpan.FromMilliseconds(ceiling / 2 + (Random.Shared.NextDouble() * ceiling / 2));
#pragma warning restore CA5394
    }

    /// <summary>Starts again from the first delay, after a success.</summary>
    public void Reset() => _attempt = 0;

    /// <summary>Waits for <see cref="NextDelay"/>.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public Task DelayAsync(CancellationToken cancellationToken) => Task.Delay(NextDelay(), cancellationToken);
}
