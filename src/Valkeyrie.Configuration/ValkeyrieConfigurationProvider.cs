using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Primitives;
using Valkeyrie.Backends;
using Valkeyrie.Configuration.Internal;

namespace Valkeyrie.Configuration;

/// <summary>
/// Loads keys from a Valkeyrie store into configuration and keeps them current: one consistent snapshot per prefix
/// through <see cref="IKvStore.WatchTreeAsync"/>, then the deltas of the same watch (no gap between load and reload),
/// applied without re-reading the tree. Data is swapped atomically; the reload token fires once per coalesced batch
/// and only when content changed; outages keep the last good data. Background work never throws.
/// </summary>
public sealed class ValkeyrieConfigurationProvider : IConfigurationProvider, IDisposable, IAsyncDisposable
{
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    private readonly ValkeyrieConfigurationSource _source;
    private readonly string[] _prefixes;
    private readonly KeyMapper _mapper;
    private readonly string _prefixDescription;
    private readonly object _gate = new();
    private readonly ConfigurationIndexBuilder _working;
    private volatile ConfigurationIndex _published;
    private ConfigurationReloadToken _reloadToken = new();
    private volatile ILogger _logger;
    private IKvStore? _store;
    private bool _ownsStore;
    private WatchSession? _session;
    private long? _pendingSince;
    private ValkeyrieConfigurationState _state = ValkeyrieConfigurationState.NotLoaded;
    private DateTimeOffset? _lastSynchronized;
    private Exception? _lastError;
    private int _disposed;

    /// <summary>Creates the provider; nothing is read until <see cref="Load"/>.</summary>
    /// <param name="source">The source's options.</param>
    /// <exception cref="ArgumentException">A prefix is not a valid key prefix, or no store was given.</exception>
    public ValkeyrieConfigurationProvider(ValkeyrieConfigurationSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Store is null && source.StoreFactory is null && string.IsNullOrWhiteSpace(source.ConnectionString))
        {
            throw new ArgumentException("A Valkeyrie configuration source needs a ConnectionString, a Store or a StoreFactory.", nameof(source));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(source.ReloadDelay, TimeSpan.Zero, nameof(source.ReloadDelay));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(source.StartupTimeout, TimeSpan.Zero, nameof(source.StartupTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(source.MaxRetryDelay, TimeSpan.FromMilliseconds(100), nameof(source.MaxRetryDelay));
        _source = source;
        _prefixes = source.Prefixes.Count == 0 ? [string.Empty] : [.. source.Prefixes.Select(KvKeys.NormalizePrefix)];
        _mapper = new KeyMapper(source.TrimPrefix, source.ExpandJsonValues);
        _published = ConfigurationIndex.Empty(_prefixes.Length);
        _working = _published.ToBuilder();
        _logger = source.LoggerFactory?.CreateLogger<ValkeyrieConfigurationProvider>() ?? NullLogger<ValkeyrieConfigurationProvider>.Instance;
        StoreName = DescribeStore(source);
        _prefixDescription = string.Join(", ", _prefixes.Select(p => p.Length == 0 ? "(all keys)" : p));
    }

    /// <summary>Raised after a reload that changed content, with the changed configuration keys (after the reload token fired).</summary>
    public event EventHandler<ValkeyrieConfigurationChangedEventArgs>? Changed;

    /// <summary>The canonical store prefixes this provider loads, in order.</summary>
    public IReadOnlyList<string> Prefixes => _prefixes;

    /// <summary>Where the data comes from right now, when the store last confirmed it, and the last error.</summary>
    public ValkeyrieConfigurationStatus Status
    {
        get
        {
            lock (_gate)
            {
                return new ValkeyrieConfigurationStatus(_state, _published.Count, _lastSynchronized, _lastError);
            }
        }
    }

    /// <summary>The store's description without secrets, for logs and metrics.</summary>
    internal string StoreName { get; }

    /// <summary>Sends the provider's logs to <paramref name="loggerFactory"/> from now on (a host calls this once DI is built).</summary>
    /// <param name="loggerFactory">The logger factory.</param>
    public void SetLoggerFactory(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _logger = loggerFactory.CreateLogger<ValkeyrieConfigurationProvider>();
    }

    /// <inheritdoc />
    public bool TryGet(string key, out string? value) => _published.TryGetValue(key, out value);

    /// <summary>Sets a value in memory only (the store is not written); it holds until the store next changes that key or the provider reloads.</summary>
    /// <param name="key">The configuration key.</param>
    /// <param name="value">The value.</param>
    public void Set(string key, string? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            _working.SetOverride(key, value);
            var published = _published.ToBuilder();
            published.SetOverride(key, value);
            _published = published.ToImmutable();
        }
    }

    /// <inheritdoc />
    public IChangeToken GetReloadToken() => Volatile.Read(ref _reloadToken);

    /// <summary>Returns the child segments of <paramref name="parentPath"/> plus <paramref name="earlierKeys"/>, sorted, from an index (no scan of all keys).</summary>
    /// <param name="earlierKeys">The child keys returned by earlier providers.</param>
    /// <param name="parentPath">The parent path; <see langword="null"/> for the root.</param>
    public IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
    {
        ArgumentNullException.ThrowIfNull(earlierKeys);
        var keys = new List<string>(earlierKeys);
        _published.AddChildrenTo(keys, parentPath);
        keys.Sort(ConfigurationKeyComparer.Instance);
        return keys;
    }

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
            Log.Loaded(_logger, _published.Count, StoreName, _prefixDescription, elapsed.TotalMilliseconds);
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

            Log.StartedEmpty(_logger, failure, StoreName);
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
        Log.LoadFailed(_logger, failure, StoreName, _prefixDescription);
        throw failure;
    }

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
    }

    /// <summary>Stops watching (the data stays as it is). Safe to call more than once; never throws for the watches' sake.</summary>
    public async Task StopAsync()
    {
        WatchSession? session;
        lock (_gate)
        {
            session = _session;
            _session = null;
            if (_state != ValkeyrieConfigurationState.NotLoaded)
            {
                _state = ValkeyrieConfigurationState.Stopped;
            }
        }

        if (session is not null)
        {
            await StopSessionAsync(session).ConfigureAwait(false);
            Log.Stopped(_logger, StoreName);
        }
    }

    /// <summary>Stops watching and disposes the store when the provider created it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAsync().ConfigureAwait(false);
        Telemetry.Untrack(this);
        if (_ownsStore && _store is not null)
        {
            await _store.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops watching and disposes the store when the provider created it.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public override string ToString() => $"{nameof(ValkeyrieConfigurationProvider)} ({StoreName}, prefixes: {_prefixDescription})";

    private static string DescribeStore(ValkeyrieConfigurationSource source)
    {
        if (source.Store is not null)
        {
            return source.Store.GetType().Name;
        }

        if (source.ConnectionString is { } connectionString)
        {
            try
            {
                return KvConnectionString.Parse(connectionString).ToString();
            }
            catch (KvConfigurationException)
            {
                return "an invalid connection string";
            }
        }

        return "the store from StoreFactory";
    }

    private IKvStore EnsureStore()
    {
        if (_store is not null)
        {
            return _store;
        }

        if (_source.Store is { } store)
        {
            _store = store;
        }
        else
        {
            _store = _source.StoreFactory is { } factory ? factory() : KvStoreFactory.Create(_source.ConnectionString!);
            _ownsStore = true;
        }

        Telemetry.Track(this);
        return _store;
    }

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
        var cause = session.LastError ?? ProbeForCause(store, missing[0]);
        return new KvUnavailableException(
            $"Could not load configuration from {StoreName} (prefixes: {string.Join(", ", missing.Select(p => p.Length == 0 ? "(all keys)" : p))}) "
            + $"within the startup timeout of {_source.StartupTimeout.TotalSeconds:0.#} s: the store did not answer. Check that it is running and reachable "
            + "from this machine, or let the application start without it: set Optional = true, handle OnLoadException, or set SnapshotPath "
            + "to start from the last data loaded.",
            cause);
    }

    // The watch retries transient errors silently; one direct read recovers the error to report.
    private static Exception? ProbeForCause(IKvStore store, string prefix)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            store.ListAsync(prefix, KvReadOptions.Default, timeout.Token).WaitAsync(timeout.Token).GetAwaiter().GetResult();
            return null;
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

        Log.StartedFromSnapshotFile(_logger, failure, StoreName, _published.Count, path, content.SavedAt);
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

    private async Task WatchAsync(IKvStore store, WatchSession session, int layer)
    {
        var prefix = _prefixes[layer];
        var backoff = new KvBackoff(TimeSpan.FromMilliseconds(Math.Min(500, _source.MaxRetryDelay.TotalMilliseconds)), _source.MaxRetryDelay);
        var token = session.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await foreach (var change in store.WatchTreeAsync(prefix, KvReadOptions.Default, token).ConfigureAwait(false))
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
    }

    private void Apply(WatchSession session, int layer, KvTreeChange change)
    {
        var prefix = _prefixes[layer];
        var recovered = false;
        lock (_gate)
        {
            if (session != _session)
            {
                return;
            }

            if (change.IsSnapshot)
            {
                _working.ReplaceLayer(layer, prefix, change.Snapshot.Select(p => new KeyValuePair<string, string>(p.Key, p.ValueAsString)), _mapper);
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
        }
    }

    private async Task PublishLoopAsync(WatchSession session)
    {
        try
        {
            while (true)
            {
                await session.Dirty.WaitAsync(session.Token).ConfigureAwait(false);
                if (_source.ReloadDelay > TimeSpan.Zero)
                {
                    await Task.Delay(_source.ReloadDelay, session.Token).ConfigureAwait(false);
                }

                Publish(session);
            }
        }
        catch (OperationCanceledException) when (session.Token.IsCancellationRequested)
        {
            // Stopped.
        }
#pragma warning disable CA1031 // Never an unhandled exception on a background thread.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.HandlerFailed(_logger, e);
        }
    }

    private void Publish(WatchSession session)
    {
        using var activity = Telemetry.ActivitySource.StartActivity("valkeyrie.configuration.reload");
        List<string> changed;
        ConfigurationIndex published;
        TimeSpan latency;
        lock (_gate)
        {
            if (session != _session)
            {
                return;
            }

            latency = _pendingSince is { } since ? Stopwatch.GetElapsedTime(since) : TimeSpan.Zero;
            _pendingSince = null;
            var touched = _working.TakeTouched();
            published = _working.ToImmutable();
            changed = ConfigurationIndex.Diff(_published, published, touched);
            _published = published;
        }

        activity?.SetTag("valkeyrie.changed_keys", changed.Count);
        if (changed.Count == 0)
        {
            return;
        }

        changed.Sort(StringComparer.OrdinalIgnoreCase);
        Telemetry.Reloads.Add(1, Telemetry.Tag("valkeyrie.store", StoreName));
        Telemetry.ReloadLatency.Record(latency.TotalSeconds, Telemetry.Tag("valkeyrie.store", StoreName));
        Log.Reloaded(_logger, StoreName, changed.Count, latency.TotalMilliseconds);
        Notify(() => Interlocked.Exchange(ref _reloadToken, new ConfigurationReloadToken()).OnReload());
        Notify(() => Changed?.Invoke(this, new ValkeyrieConfigurationChangedEventArgs(changed, latency)));

        WriteSnapshotFile(published);
    }

    private void Notify(Action notify)
    {
        try
        {
            notify();
        }
#pragma warning disable CA1031 // A subscriber's bug must not stop reloads.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.HandlerFailed(_logger, e);
        }
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

    private void WriteSnapshotFile(ConfigurationIndex index)
    {
        if (_source.SnapshotPath is not { } path)
        {
            return;
        }

        try
        {
            SnapshotFile.Write(path, _prefixes, index);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Telemetry.Failures.Add(1, Telemetry.Tag("valkeyrie.store", StoreName), Telemetry.Tag("valkeyrie.operation", "snapshot_file"));
            Log.SnapshotWriteFailed(_logger, e, path);
        }
    }
}
