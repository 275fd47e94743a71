using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Primitives;
using Valkeyrie.Configuration.Internal;

namespace Valkeyrie.Configuration;

/// <summary>
/// Loads keys from a Valkeyrie store into configuration and keeps them current: one consistent snapshot per prefix
/// through <see cref="IKvStore.WatchTreeAsync"/>, then the deltas of the same watch (no gap between load and reload),
/// applied without re-reading the tree. Data is swapped atomically; the reload token fires once per coalesced batch
/// and only when content changed; outages keep the last good data. Background work never throws.
/// </summary>
public sealed partial class ValkeyrieConfigurationProvider : IConfigurationProvider, IDisposable, IAsyncDisposable
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
        ReplayStartupEvents();
    }

    /// <inheritdoc />
    public bool TryGet(string key, out string? value) => _published.TryGetValue(key, out value);

    /// <summary>Sets a value in memory only (the store is not written); it holds until the store next writes that key (even with an equal value) or the provider reloads.</summary>
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

    /// <summary>
    /// Returns the child segments of <paramref name="parentPath"/> plus <paramref name="earlierKeys"/>, sorted, from an index
    /// (no scan of all keys). Of segments differing only in case, the ordinal-greatest spelling is reported, the spelling
    /// of the key whose value wins.
    /// </summary>
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
}
