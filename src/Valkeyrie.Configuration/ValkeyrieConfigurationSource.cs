using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Valkeyrie.Configuration;

/// <summary>
/// Options of a Valkeyrie configuration source: which store, which prefixes, and how loading and reloading behave.
/// <see cref="Build"/> does no I/O; the provider connects in <see cref="IConfigurationProvider.Load"/>.
/// </summary>
public sealed class ValkeyrieConfigurationSource : IConfigurationSource
{
    /// <summary>A connection string such as <c>redis://127.0.0.1:6379</c>; the provider creates the store and disposes it.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>A store created by the caller; the provider never disposes it.</summary>
    public IKvStore? Store { get; set; }

    /// <summary>Creates the store when the provider first loads; the provider disposes it.</summary>
    public Func<IKvStore>? StoreFactory { get; set; }

    /// <summary>
    /// The store prefixes to load, for example <c>app</c>. Empty loads the whole store. When two prefixes produce the
    /// same configuration key, the later prefix wins.
    /// </summary>
    public IList<string> Prefixes { get; } = [];

    /// <summary>
    /// Whether the application may start without the store: when it cannot be reached within
    /// <see cref="StartupTimeout"/> (and no <see cref="SnapshotPath"/> file exists), the source starts empty and keeps
    /// trying in the background instead of throwing. Defaults to <see langword="false"/>.
    /// </summary>
    public bool Optional { get; set; }

    /// <summary>Whether changes in the store are applied while the application runs. Defaults to <see langword="true"/>.</summary>
    public bool ReloadOnChange { get; set; } = true;

    /// <summary>
    /// How long changes are gathered after a reload before the next one, so a burst of separate writes gives at most two
    /// reloads: the first change after a quiet period is applied at once, and what follows within this delay is applied
    /// together when it ends. A transaction always arrives as one batch. Defaults to 100 ms; zero applies every batch at once.
    /// </summary>
    public TimeSpan ReloadDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long the first load may retry an unreachable store before it gives up. Defaults to 30 seconds.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest pause between attempts to restart a failed watch. Defaults to 30 seconds.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the provider checks that the store answers, which keeps the staleness metric and the health
    /// check meaningful while nothing changes. Defaults to 30 seconds; <see cref="TimeSpan.Zero"/> turns it off.
    /// </summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often each watch re-reads its prefix and compares it with the loaded data, the backstop that brings in any
    /// change the backend's change feed did not report (for example an operator's native tool on a backend without
    /// native notifications). Defaults to 30 seconds, which bounds how long a running instance can differ from the
    /// store; <see cref="TimeSpan.Zero"/> turns it off. See docs/operators.md.
    /// </summary>
    public TimeSpan ReconcileInterval { get; set; } = KvReadOptions.DefaultReconcileInterval;

    /// <summary>Called when the first load fails; set <see cref="ValkeyrieLoadExceptionContext.Ignore"/> to start empty instead of throwing.</summary>
    public Action<ValkeyrieLoadExceptionContext>? OnLoadException { get; set; }

    /// <summary>Whether the prefix is removed from configuration keys (<c>app/db/host</c> under <c>app</c> becomes <c>db:host</c>). Defaults to <see langword="false"/>.</summary>
    public bool TrimPrefix { get; set; }

    /// <summary>
    /// Whether a value holding a JSON object or array becomes sub-keys, as the JSON file provider would flatten it
    /// (<c>app/db</c> = <c>{"host":"x"}</c> gives <c>app:db:host</c>). Other values stay as they are. Defaults to <see langword="false"/>.
    /// </summary>
    public bool ExpandJsonValues { get; set; }

    /// <summary>
    /// A local file that keeps the last data loaded from the store, rewritten after every successful load and reload,
    /// and used when the store cannot be reached at startup. It holds configuration values: protect it like a secrets file.
    /// </summary>
    public string? SnapshotPath { get; set; }

    /// <summary>Logs the provider's work before dependency injection exists; a host attaches its own factory later.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Creates the provider without connecting.</summary>
    /// <param name="builder">The configuration builder.</param>
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new ValkeyrieConfigurationProvider(this);
}
