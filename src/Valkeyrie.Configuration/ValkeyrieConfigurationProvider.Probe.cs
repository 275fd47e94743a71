using Valkeyrie.Configuration.Internal;

namespace Valkeyrie.Configuration;

// Health: a cheap read that tells whether the store answers, on demand or periodically.
public sealed partial class ValkeyrieConfigurationProvider
{
    /// <summary>Checks that the store answers a cheap read; the health check calls this.</summary>
    /// <param name="cancellationToken">Cancels the probe.</param>
    /// <exception cref="Exception">The store did not answer; the exception says why.</exception>
    public async Task ProbeAsync(CancellationToken cancellationToken = default)
    {
        var store = _store ?? throw new InvalidOperationException("The provider has not loaded yet.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            var probeKey = Array.Find(_prefixes, p => p.Length > 0) ?? "valkeyrie-probe";
            await store.ExistsAsync(probeKey, KvReadOptions.Default, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var failure = e is OperationCanceledException
                ? new KvUnavailableException($"{StoreName} did not answer a probe within {ProbeTimeout.TotalSeconds:0} seconds.", e)
                : e;
            lock (_gate)
            {
                _lastError = failure;
            }

            Telemetry.Failures.Add(1, Telemetry.Tag("valkeyrie.store", StoreName), Telemetry.Tag("valkeyrie.operation", "probe"));
            Log.ProbeFailed(_logger, failure, StoreName);
            LogUnavailable(failure, _source.ProbeInterval);
            throw failure;
        }

        lock (_gate)
        {
            if (_session is { } session && session.AllSynchronized && _state == ValkeyrieConfigurationState.Current)
            {
                _lastSynchronized = DateTimeOffset.UtcNow;
                _lastError = null;
            }
        }

        LogAvailable();
    }

    private async Task ProbeLoopAsync(WatchSession session)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_source.ProbeInterval, session.Token).ConfigureAwait(false);
                try
                {
                    await ProbeAsync(session.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !session.Token.IsCancellationRequested)
                {
                    // Recorded in the status and logged by ProbeAsync.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }
}
