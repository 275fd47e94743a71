using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Valkeyrie.Configuration.Tests.Support;

namespace Valkeyrie.Configuration.Tests;

public sealed class HostingTests
{
    [Fact]
    public async Task A_host_reloads_logs_through_its_own_factory_and_shuts_down_without_errors()
    {
        await using var store = new MemoryKvStore();
        await new DbSettings { Port = 1 }.SaveAsync(store);
        var logs = new LogCapture();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs);
        builder.Configuration.AddValkeyrie(store, s =>
        {
            s.Prefixes.Add("app");
            s.ReloadDelay = TimeSpan.Zero;
        });
        builder.Services.AddKvSection<DbSettings>().ValidateOnStart();

        using (var host = builder.Build())
        {
            await host.StartAsync();
            var monitor = host.Services.GetRequiredService<IOptionsMonitor<DbSettings>>();
            var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var subscription = monitor.OnChange(_ => changed.TrySetResult());
            await store.PutAsync(DbSettings.Keys.Port, "2");
            await changed.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(2, monitor.CurrentValue.Port);
            await host.StopAsync();
        }

        Assert.Contains(logs.Entries, e => e.EventId.Id == 2 && e.Category.StartsWith("Valkeyrie", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries, e => e.Exception is not null || e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task ValidateOnStart_stops_a_host_whose_section_is_invalid()
    {
        await using var store = new MemoryKvStore();
        await new DbSettings { Port = 70000 }.SaveAsync(store);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddValkeyrie(store, s => s.Prefixes.Add("app"));
        builder.Services.AddKvSection<DbSettings>().Validate(s => s.Port < 65536, "Port out of range.").ValidateOnStart();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Port out of range.", error.Failures);
    }

    [Fact]
    public async Task The_health_check_reports_an_unreachable_store_and_recovery()
    {
        await using var store = new FlakyStore();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddValkeyrie(store, s => s.Prefixes.Add("app"));
        builder.Services.AddHealthChecks().AddValkeyrie();
        using var host = builder.Build();
        var health = host.Services.GetRequiredService<HealthCheckService>();

        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);

        store.GoDown();
        var report = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Contains("unreachable", report.Entries["valkeyrie"].Description, StringComparison.Ordinal);

        store.ComeUp();
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);
    }

    [Fact]
    public async Task The_health_check_follows_an_optional_source_that_started_without_its_store()
    {
        await using var store = new FlakyStore(down: true);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddValkeyrie(store, s =>
        {
            s.Optional = true;
            s.StartupTimeout = TimeSpan.FromMilliseconds(300);
        });
        builder.Services.AddHealthChecks().AddValkeyrie();
        using var host = builder.Build();
        var health = host.Services.GetRequiredService<HealthCheckService>();

        Assert.Equal(HealthStatus.Unhealthy, (await health.CheckHealthAsync()).Status);
        store.ComeUp();
        await Kv.EventuallyAsync(
            () => ((IConfigurationRoot)host.Services.GetRequiredService<IConfiguration>()).Provider().Status.State == ValkeyrieConfigurationState.Current,
            "the store to come back");
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);
    }
}
