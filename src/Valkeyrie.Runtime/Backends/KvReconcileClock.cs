using System.Diagnostics;

namespace Valkeyrie.Backends;

/// <summary>When a watch's next reconciliation (see <see cref="KvReadOptions.ReconcileInterval"/>) is due.</summary>
internal sealed class KvReconcileClock
{
    private readonly TimeSpan _interval;
    private long _due;

    /// <summary>Starts the clock; the first reconciliation is one interval from now.</summary>
    /// <param name="interval">The interval; zero or infinite turns reconciliation off.</param>
    public KvReconcileClock(TimeSpan interval)
    {
        _interval = interval > TimeSpan.Zero && interval != Timeout.InfiniteTimeSpan ? interval : Timeout.InfiniteTimeSpan;
        _due = Stopwatch.GetTimestamp();
        Advance();
    }

    /// <summary>
    /// Waits for <paramref name="next"/> until the reconciliation is due: true when it completed first, false when a
    /// reconciliation is due now (the clock then starts the next interval).
    /// </summary>
    /// <param name="next">The feed's pending read.</param>
    /// <param name="token">Cancels the wait.</param>
    public async Task<bool> WaitAsync(Task next, CancellationToken token)
    {
        if (_interval == Timeout.InfiniteTimeSpan || next.IsCompleted)
        {
            return true;
        }

        var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), _due);
        if (left > TimeSpan.Zero)
        {
            try
            {
                await next.WaitAsync(left, token).ConfigureAwait(false);
                return true;
            }
            catch (TimeoutException)
            {
                // Due: reconcile.
            }
            catch (OperationCanceledException)
            {
                return true; // the feed ends too; the watch loop handles the cancellation there
            }
        }

        _due = Stopwatch.GetTimestamp();
        Advance();
        return false;
    }

    private void Advance()
    {
        if (_interval != Timeout.InfiniteTimeSpan)
        {
            _due += (long)(_interval.TotalSeconds * Stopwatch.Frequency);
        }
    }
}
