using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Valkeyrie.Benchmarks.Sections;

namespace Valkeyrie.Benchmarks.Harness;

/// <summary>
/// The full path: <c>AddValkeyrie</c> (its own store connection, reload delay 0) and <c>AddKvSection&lt;T&gt;</c>;
/// the timestamp is taken inside <c>IOptionsMonitor&lt;BenchSettings&gt;.OnChange</c>.
/// </summary>
public sealed class OptionsMonitorProbe(string connectionString) : IReloadProbe
{
    private ServiceProvider? _services;
    private IDisposable? _subscription;

    /// <inheritdoc />
    public string Name => "Valkeyrie IOptionsMonitor.OnChange";

    /// <inheritdoc />
    public Task StartAsync(Action<int?, long> onNotified)
    {
        var configuration = new ConfigurationBuilder().AddValkeyrie(connectionString, source =>
        {
            source.Prefixes.Add("bench");
            source.ReloadDelay = TimeSpan.Zero;
            source.ProbeInterval = TimeSpan.Zero;
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddKvSection<BenchSettings>();
        _services = services.BuildServiceProvider();
        var monitor = _services.GetRequiredService<IOptionsMonitor<BenchSettings>>();
        _ = monitor.CurrentValue;
        _subscription = monitor.OnChange(settings => onNotified(settings.Port, Stopwatch.GetTimestamp()));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        if (_services is not null)
        {
            var configuration = _services.GetRequiredService<IConfiguration>();
            await _services.DisposeAsync();
            (configuration as IDisposable)?.Dispose();
        }
    }
}
