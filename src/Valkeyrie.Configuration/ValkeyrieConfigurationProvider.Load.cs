using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Valkeyrie.Configuration.Internal;

namespace Valkeyrie.Configuration;

// Startup: the first load of every prefix, its time-bounded wait, and the fallbacks when the store does not answer.
public sealed partial class ValkeyrieConfigurationProvider
{
    /// <summary>
    /// Reads every prefix (one consistent snapshot each) and, when <see cref="ValkeyrieConfigurationSource.ReloadOnChange"/>
    /// is on, keeps watching. Called again (by <see cref="IConfigurationRoot.Reload"/>) it re-reads everything.
    /// Retries an unreachable store for up to <see cref="ValkeyrieConfigurationSource.StartupTimeout"/>, then falls back
    /// to the snapshot file, <see cref="ValkeyrieConfigurationSource.OnLoadException"/> or <see cref="ValkeyrieConfigurationSource.Optional"/>,
    /// or throws.
    /// </summary>
    /// <exception cref="KvException">The store could not be read and no fallback applies.</exception>
    public void Load()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        using var activity = Telemetry.ActivitySource.StartActivity("valkeyrie.configuration.load");
        activity?.SetTag("valkeyrie.store", StoreName);
        var started = Stopwatch.GetTimestamp();
        var reloading = Status.State is not ValkeyrieConfigurationState.NotLoaded;
        if (reloading)
        {
            // A reload re-reads the store; values set through the indexer do not survive it (docs/configuration.md).
            lock (_gate)
            {
                _working.ClearOverrides();
            }
        }

        var store = EnsureStore();
        var session = StartSession(store);

        var failure = WaitForFirstSnapshots(store, session);
        if (failure is null)
        {
            lock (_gate)
            {
                PublishLoaded(session, ValkeyrieConfigurationState.Current);
                _lastSynchronized = DateTimeOffset.UtcNow;
                _lastError = null;
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            var count = _published.Count;
            LogStartup(logger => Log.Loaded(logger, count, StoreName, _prefixDescription, elapsed.TotalMilliseconds));
            WriteSnapshotFile(_published);
            if (!_source.ReloadOnChange)
            {
                Detach(session);
            }

            return;
        }

        activity?.SetStatus(ActivityStatusCode.Error, failure.GetType().Name);
        Telemetry.Failures.Add(1, Telemetry.Tag("valkeyrie.store", StoreName), Telemetry.Tag("valkeyrie.operation", "load"));
        if (TryStartFromSnapshotFile(session, failure))
        {
            return;
        }

        // A failed reload keeps the data already loaded and keeps trying, like a failed background reload.
        var context = new ValkeyrieLoadExceptionContext(this, failure) { Ignore = reloading };
        _source.OnLoadException?.Invoke(context);
        if (context.Ignore || _source.Optional)
        {
            lock (_gate)
            {
                _lastError = failure;
                PublishLoaded(session, ValkeyrieConfigurationState.Empty);
            }

            LogStartup(logger => Log.StartedEmpty(logger, failure, StoreName));
            if (!_source.ReloadOnChange)
            {
                Detach(session);
            }

            return;
        }

        lock (_gate)
        {
            _lastError = failure;
        }

        Detach(session);
        LogStartup(logger => Log.LoadFailed(logger, failure, StoreName, _prefixDescription));
        throw failure;
    }

    // Null on success; otherwise the exception that explains why the store could not be read in time.
    private Exception? WaitForFirstSnapshots(IKvStore store, WatchSession session)
    {
        var all = Task.WhenAll(session.FirstSnapshots.Select(s => s.Task));
        try
        {
            if (all.Wait(_source.StartupTimeout))
            {
                return null;
            }
        }
        catch (AggregateException e)
        {
            return e.InnerExceptions.Count == 1 ? e.InnerExceptions[0] : e;
        }

        var missing = _prefixes.Where((_, layer) => !session.FirstSnapshots[layer].Task.IsCompleted).ToList();
        var cause = session.LastError ?? ProbeForCause(store, missing[0], _source.StartupTimeout);
        if (cause is KvException { Key: not null } answered and not KvUnavailableException)
        {
            // The store answered, about one key: say so, rather than that it did not answer.
            return new KvException(
                $"Could not load configuration from {StoreName} within the startup timeout of {_source.StartupTimeout.TotalSeconds:0.#} s: {answered.Message}",
                answered);
        }

        return new KvUnavailableException(
            $"Could not load configuration from {StoreName} (prefixes: {string.Join(", ", missing.Select(p => p.Length == 0 ? "(all keys)" : p))}) "
            + $"within the startup timeout of {_source.StartupTimeout.TotalSeconds:0.#} s: the store did not answer. Check that it is running and reachable "
            + "from this machine, or let the application start without it: set Optional = true, handle OnLoadException, or set SnapshotPath "
            + "to start from the last data loaded.",
            cause);
    }

    // The watch retries transient errors silently; one direct read recovers the error to report. It gets long enough
    // for the store's own connect timeout to fail it with the real cause (connection refused, authentication), so the
    // inner exception is that error rather than the probe's own cancellation.
    private static Exception? ProbeForCause(IKvStore store, string prefix, TimeSpan startupTimeout)
    {
        var limit = TimeSpan.FromSeconds(Math.Clamp(startupTimeout.TotalSeconds, 2, 10));
        try
        {
            using var timeout = new CancellationTokenSource(limit);
            store.ListAsync(prefix, KvReadOptions.Default, timeout.Token).WaitAsync(timeout.Token).GetAwaiter().GetResult();
            return null;
        }
        catch (OperationCanceledException e)
        {
            return new KvUnavailableException($"The store did not answer a read within {limit.TotalSeconds:0} s either.", e);
        }
#pragma warning disable CA1031 // Any failure is only a clue attached to the real error.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return e;
        }
    }

    private bool TryStartFromSnapshotFile(WatchSession session, Exception failure)
    {
        if (_source.SnapshotPath is not { } path)
        {
            return false;
        }

        SnapshotFile.Content? content;
        try
        {
            content = SnapshotFile.Read(path);
        }
#pragma warning disable CA1031 // A damaged fallback file must not hide the real error.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.SnapshotReadFailed(_logger, e, path);
            return false;
        }

        if (content is null)
        {
            return false;
        }

        lock (_gate)
        {
            for (var layer = 0; layer < _prefixes.Length; layer++)
            {
                if (!session.Synchronized[layer])
                {
                    var pairs = content.Prefixes.TryGetValue(_prefixes[layer], out var saved) ? saved : [];
                    _working.ReplaceLayer(layer, _prefixes[layer], pairs, _mapper);
                }
            }

            _lastError = failure;
            PublishLoaded(session, ValkeyrieConfigurationState.FromSnapshotFile);
        }

        var keys = _published.Count;
        LogStartup(logger => Log.StartedFromSnapshotFile(logger, failure, StoreName, keys, path, content.SavedAt));
        if (!_source.ReloadOnChange)
        {
            Detach(session);
        }

        return true;
    }

    // Called under the gate at the end of Load: what has accumulated becomes visible without firing the token
    // (ConfigurationRoot raises its own change after Load).
    private void PublishLoaded(WatchSession session, ValkeyrieConfigurationState state)
    {
        _working.TakeTouched();
        _pendingSince = null;
        _published = _working.ToImmutable();
        _state = session.AllSynchronized ? ValkeyrieConfigurationState.Current : state;
        session.Loaded = true;
    }
}
