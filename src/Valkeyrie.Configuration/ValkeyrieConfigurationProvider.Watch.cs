using System.Diagnostics;
using Valkeyrie.Backends;
using Valkeyrie.Configuration.Internal;

namespace Valkeyrie.Configuration;

// The watches: one WatchTree per prefix, retried with backoff, whose snapshots and deltas go into the working index.
public sealed partial class ValkeyrieConfigurationProvider
{
    private WatchSession StartSession(IKvStore store)
    {
        var session = new WatchSession(_prefixes.Length);
        WatchSession? previous;
        lock (_gate)
        {
            previous = _session;
            _session = session;
            _pendingSince = null;
            _working.TakeTouched();
        }

        if (previous is not null)
        {
            _ = StopSessionAsync(previous);
        }

        for (var layer = 0; layer < _prefixes.Length; layer++)
        {
            var current = layer;
            session.Tasks.Add(Task.Run(() => WatchAsync(store, session, current)));
        }

        session.Tasks.Add(Task.Run(() => PublishLoopAsync(session)));
        if (_source.ProbeInterval > TimeSpan.Zero)
        {
            session.Tasks.Add(Task.Run(() => ProbeLoopAsync(session)));
        }

        return session;
    }

    // Without reloading (or after a failed first load) the session's work ends; a later Load starts a new one.
    private void Detach(WatchSession session)
    {
        lock (_gate)
        {
            if (_session == session)
            {
                _session = null;
            }
        }

        _ = StopSessionAsync(session);
    }

    private static async Task StopSessionAsync(WatchSession session)
    {
        await session.StopAsync(StopWait).ConfigureAwait(false);
        session.Dispose();
    }

    private async Task WatchAsync(IKvStore store, WatchSession session, int layer)
    {
        var prefix = _prefixes[layer];
        var backoff = new KvBackoff(TimeSpan.FromMilliseconds(Math.Min(500, _source.MaxRetryDelay.TotalMilliseconds)), _source.MaxRetryDelay);
        var token = session.Token;
        var options = new KvReadOptions { ReconcileInterval = _source.ReconcileInterval };
        while (!token.IsCancellationRequested)
        {
            try
            {
                await foreach (var change in store.WatchTreeAsync(prefix, options, token).ConfigureAwait(false))
                {
                    Apply(session, layer, change);
                    backoff.Reset();
                }

                if (!token.IsCancellationRequested)
                {
                    // The contract ends a watch quietly only when the store is disposed.
                    Log.StoreDisposed(_logger, StoreName);
                    session.FirstSnapshots[layer].TrySetException(new ObjectDisposedException(StoreName, "The store was disposed before the configuration was loaded."));
                }

                return;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A background watch must survive anything and keep the last good data.
            catch (Exception e)
#pragma warning restore CA1031
            {
                var delay = backoff.NextDelay();
                OnWatchFailed(session, layer, e, delay);
                try
                {
                    await Task.Delay(delay, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void OnWatchFailed(WatchSession session, int layer, Exception exception, TimeSpan retryIn)
    {
        lock (_gate)
        {
            if (session != _session)
            {
                return;
            }

            session.LastError = exception;
            _lastError = exception;
            if (session.Loaded)
            {
                _state = ValkeyrieConfigurationState.Failing;
            }

            // The next watch starts with a snapshot; until it arrives this prefix is not current.
            session.Synchronized[layer] = false;
        }

        if (!KvWatchStreams.IsTransient(exception))
        {
            session.FirstSnapshots[layer].TrySetException(exception);
        }

        Telemetry.Failures.Add(1, Telemetry.Tag("valkeyrie.store", StoreName), Telemetry.Tag("valkeyrie.operation", "watch"));
        Log.WatchFailed(_logger, exception, _prefixes[layer].Length == 0 ? "(all keys)" : _prefixes[layer], StoreName, retryIn.TotalMilliseconds);
        LogUnavailable(exception, retryIn);
    }

    private void Apply(WatchSession session, int layer, KvTreeChange change)
    {
        var prefix = _prefixes[layer];
        var recovered = false;
        var resynchronised = false;
        lock (_gate)
        {
            if (session != _session)
            {
                return;
            }

            if (change.IsSnapshot)
            {
                _working.ReplaceLayer(layer, prefix, change.Snapshot.Select(p => new KeyValuePair<string, string>(p.Key, p.ValueAsString)), _mapper);
                resynchronised = session.Loaded && session.Synchronized[layer];
                session.Synchronized[layer] = true;
                session.FirstSnapshots[layer].TrySetResult();
                if (session.Loaded && session.AllSynchronized && _state != ValkeyrieConfigurationState.Current)
                {
                    _state = ValkeyrieConfigurationState.Current;
                    recovered = true;
                }
            }
            else
            {
                foreach (var e in change.Events)
                {
                    _working.SetStoreKey(layer, prefix, e.Key, e.Kind == KvEventKind.Put ? e.Pair!.ValueAsString : null, _mapper);
                }
            }

            if (session.AllSynchronized)
            {
                _lastSynchronized = DateTimeOffset.UtcNow;
                _lastError = null;
            }

            if (session.Loaded && (_working.HasTouched || recovered) && _pendingSince is null)
            {
                _pendingSince = Stopwatch.GetTimestamp();
                session.Signal();
            }
        }

        if (recovered)
        {
            Log.Recovered(_logger, StoreName, prefix.Length == 0 ? "(all keys)" : prefix);
            LogAvailable();
        }
        else if (resynchronised)
        {
            StateLog.Resynchronised(_logger, StoreName, prefix.Length == 0 ? "(all keys)" : prefix, change.Snapshot.Count);
        }
    }
}
