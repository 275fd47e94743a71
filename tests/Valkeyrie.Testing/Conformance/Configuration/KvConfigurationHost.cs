using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Valkeyrie.Configuration;

namespace Valkeyrie.Testing.Conformance.Configuration;

/// <summary>
/// What an application builds: <c>AddValkeyrie</c> over one key root (prefix trimmed, reload on change, no debounce)
/// and <c>AddKvSection&lt;ConformanceSettings&gt;()</c>, with a recorder on the options monitor.
/// </summary>
public sealed class KvConfigurationHost : IAsyncDisposable
{
    private readonly ConfigurationRoot _configuration;
    private readonly ServiceProvider _services;

    private KvConfigurationHost(ConfigurationRoot configuration, ServiceProvider services)
    {
        _configuration = configuration;
        _services = services;
        Monitor = services.GetRequiredService<IOptionsMonitor<ConformanceSettings>>();
        _ = Monitor.CurrentValue;
        Changes = new OptionsMonitorRecorder<ConformanceSettings>(Monitor);
    }

    /// <summary>The section's monitor.</summary>
    public IOptionsMonitor<ConformanceSettings> Monitor { get; }

    /// <summary>Every value the monitor announces from now on.</summary>
    public OptionsMonitorRecorder<ConformanceSettings> Changes { get; }

    /// <summary>The configuration (keys relative to the root).</summary>
    public IConfiguration Configuration => _configuration;

    /// <summary>Loads <paramref name="root"/> from <paramref name="store"/> (the caller keeps ownership of the store).</summary>
    /// <param name="store">The store under test.</param>
    /// <param name="root">The test's key root, trimmed from configuration keys.</param>
    /// <param name="configure">Further source settings (for example the reconciliation interval).</param>
    public static KvConfigurationHost Start(IKvStore store, string root, Action<ValkeyrieConfigurationSource>? configure = null)
    {
        var configuration = (ConfigurationRoot)new ConfigurationBuilder()
            .AddValkeyrie(store, source =>
            {
                source.Prefixes.Add(root);
                source.TrimPrefix = true;
                source.ReloadDelay = TimeSpan.Zero;
                source.MaxRetryDelay = TimeSpan.FromSeconds(2);
                configure?.Invoke(source);
            })
            .Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddKvSection<ConformanceSettings>()
            .Services
            .BuildServiceProvider();
        return new KvConfigurationHost(configuration, services);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Changes.Dispose();
        await _services.DisposeAsync();
        _configuration.Dispose();
    }
}
