namespace Valkeyrie.Backends;

/// <summary>
/// Renews a lease (a lock or a keep-alive key) in the background, about every third of its TTL, independently of
/// any caller's token. A renewal that answers <see langword="false"/> means the lease is gone; renewals that keep
/// failing until the TTL has passed since the last success mean it must be presumed gone. Either way
/// <see cref="Lost"/> fires and renewing stops.
/// </summary>
public sealed class KvLeaseKeeper : IAsyncDisposable
{
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<CancellationToken, Task<bool>> _renew;
    private readonly TimeSpan _ttl;
    private readonly TimeProvider _time;
    private Task _loop = Task.CompletedTask;

    /// <summary>Creates a keeper; call <see cref="Start"/> once the lease is held.</summary>
    /// <param name="ttl">The lease's time to live.</param>
    /// <param name="renew">Renews the lease; <see langword="false"/> when it no longer exists or is someone else's.</param>
    /// <param name="timeProvider">The clock; the system clock by default.</param>
    public KvLeaseKeeper(TimeSpan ttl, Func<CancellationToken, Task<bool>> renew, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        _ttl = ttl;
        _renew = renew ?? throw new ArgumentNullException(nameof(renew));
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Fires when the lease is lost or abandoned.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>How often renewals happen: a third of the TTL, so two renewals may fail before the lease expires.</summary>
    public TimeSpan Interval => TimeSpan.FromTicks(Math.Max(_ttl.Ticks / 3, TimeSpan.FromMilliseconds(50).Ticks));

    /// <summary>Starts renewing in the background.</summary>
    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Stops renewing without signalling <see cref="Lost"/> (the owner released the lease).</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
    }

    /// <summary>Stops renewing and signals <see cref="Lost"/> (the store is being disposed).</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await SignalLostAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var lastSuccess = _time.GetTimestamp();
        var backoff = new KvBackoff(TimeSpan.FromMilliseconds(50), Interval);
        var delay = Interval;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, _time, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            bool held;
            try
            {
                // A renewal may not outlast the lease: a call that would wait out its whole request timeout against an
                // unreachable server is cut at the TTL, so Lost fires within the TTL (docs/store-contract.md, "Locks").
                var left = _ttl - _time.GetElapsedTime(lastSuccess);
                using var bound = new CancellationTokenSource(left > TimeSpan.FromMilliseconds(1) ? left : TimeSpan.FromMilliseconds(1), _time);
                using var call = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, bound.Token);
                held = await _renew(call.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A background renewal must never crash the process; failures count towards the TTL.
            catch (Exception)
#pragma warning restore CA1031
            {
                if (_time.GetElapsedTime(lastSuccess) >= _ttl)
                {
                    await SignalLostAsync().ConfigureAwait(false);
                    return;
                }

                delay = backoff.NextDelay();
                continue;
            }

            if (!held)
            {
                await SignalLostAsync().ConfigureAwait(false);
                return;
            }

            lastSuccess = _time.GetTimestamp();
            backoff.Reset();
            delay = Interval;
        }
    }

    private async Task SignalLostAsync()
    {
        try
        {
            await _lost.CancelAsync().ConfigureAwait(false);
        }
        catch (AggregateException)
        {
            // A consumer's Lost callback threw; the lease is lost regardless and the keeper must not crash.
        }
    }
}
