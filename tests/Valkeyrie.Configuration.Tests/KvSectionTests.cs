using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Valkeyrie.Configuration.Sections;
using Valkeyrie.Configuration.Tests.Support;

namespace Valkeyrie.Configuration.Tests;

public sealed class KvSectionTests
{
    [Fact]
    public async Task Options_monitor_and_snapshot_reload_with_the_generated_binder()
    {
        await using var store = new MemoryKvStore();
        await new DbSettings { Host = "h1", Port = 1000 }.SaveAsync(store);
        using var root = Kv.Build(store, s => s.Prefixes.Add("app"));
        await using var services = Services(root, s => s.AddKvSection<DbSettings>());
        var monitor = services.GetRequiredService<IOptionsMonitor<DbSettings>>();
        Assert.Equal("h1", monitor.CurrentValue.Host);
        Assert.Equal(1000, services.GetRequiredService<IOptions<DbSettings>>().Value.Port);

        var changed = new TaskCompletionSource<DbSettings>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = monitor.OnChange(v => changed.TrySetResult(v));
        await store.PutAsync(DbSettings.Keys.Host, "h2");

        Assert.Equal("h2", (await changed.Task.WaitAsync(TimeSpan.FromSeconds(30))).Host);
        Assert.Equal("h2", monitor.CurrentValue.Host);
        using var scope = services.CreateScope();
        Assert.Equal("h2", scope.ServiceProvider.GetRequiredService<IOptionsSnapshot<DbSettings>>().Value.Host);
    }

    [Fact]
    public async Task OnChange_fires_once_per_section_change_and_never_for_other_keys()
    {
        await using var store = new MemoryKvStore();
        await new DbSettings().SaveAsync(store);
        using var root = Kv.Build(store, s => s.Prefixes.Add("app"));
        using var reloads = new ReloadRecorder(root);
        await using var services = Services(root, s =>
        {
            s.AddKvSection<DbSettings>();
            s.AddKvSection<CacheSettings>();
        });
        var db = services.GetRequiredService<IOptionsMonitor<DbSettings>>();
        _ = db.CurrentValue;
        var cache = services.GetRequiredService<IOptionsMonitor<CacheSettings>>();
        _ = cache.CurrentValue;
        var dbChanges = 0;
        var cacheChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var s1 = db.OnChange(_ => Interlocked.Increment(ref dbChanges));
        using var s2 = cache.OnChange(_ => cacheChanged.TrySetResult());

        await store.PutAsync("app/unrelated", "x");
        await reloads.NextAsync("an unrelated key");
        await store.PutAsync(CacheSettings.Keys.Size, "7");
        await cacheChanged.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, Volatile.Read(ref dbChanges));
        Assert.Equal(7, cache.CurrentValue.Size);
    }

    [Fact]
    public async Task An_unbindable_reload_keeps_the_last_valid_value_and_reports_the_error()
    {
        await using var store = new MemoryKvStore();
        await new DbSettings { Port = 1000 }.SaveAsync(store);
        using var root = Kv.Build(store, s => s.Prefixes.Add("app"));
        using var reloads = new ReloadRecorder(root);
        var errors = new TaskCompletionSource<KvSectionReloadError>(TaskCreationOptions.RunContinuationsAsynchronously);
        var logs = new LogCapture();
        await using var services = Services(root, s => s.AddKvSection<DbSettings>(o => o.OnReloadError = e => errors.TrySetResult(e)), logs);
        var monitor = services.GetRequiredService<IOptionsMonitor<DbSettings>>();
        Assert.Equal(1000, monitor.CurrentValue.Port);
        var changes = 0;
        using var subscription = monitor.OnChange(_ => Interlocked.Increment(ref changes));

        await store.PutAsync(DbSettings.Keys.Port, "not a number");
        var error = await errors.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(typeof(DbSettings), error.SectionType);
        Assert.Equal("app:db", error.ConfigurationPath);
        Assert.IsType<Valkeyrie.Sections.KvBindingException>(error.Exception);
        Assert.Equal(1000, monitor.CurrentValue.Port);
        Assert.Equal(0, Volatile.Read(ref changes));
        Assert.Contains(logs.Entries, e => e.EventId.Id == 20 && e.Exception is not null);
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("not a number", StringComparison.Ordinal));

        await store.PutAsync(DbSettings.Keys.Port, "2000");
        await Kv.EventuallyAsync(() => monitor.CurrentValue.Port == 2000, "the valid value");
    }

    [Fact]
    public async Task A_reload_failing_validation_keeps_the_last_valid_value()
    {
        await using var store = new MemoryKvStore();
        await new DbSettings { Port = 1000 }.SaveAsync(store);
        using var root = Kv.Build(store, s => s.Prefixes.Add("app"));
        var errors = new TaskCompletionSource<KvSectionReloadError>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var services = Services(root, s => s
            .AddKvSection<DbSettings>(o => o.OnReloadError = e => errors.TrySetResult(e))
            .Validate(v => v.Port < 5000, "Port must be below 5000."));
        var monitor = services.GetRequiredService<IOptionsMonitor<DbSettings>>();
        Assert.Equal(1000, monitor.CurrentValue.Port);

        await store.PutAsync(DbSettings.Keys.Port, "6000");
        var error = await errors.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var validation = Assert.IsType<OptionsValidationException>(error.Exception);
        Assert.Contains("Port must be below 5000.", validation.Failures);
        Assert.Equal(1000, monitor.CurrentValue.Port);
    }

    [Fact]
    public async Task Configure_actions_run_after_binding()
    {
        await using var store = new MemoryKvStore();
        await new DbSettings { Host = "h" }.SaveAsync(store);
        using var root = Kv.Build(store, s => s.Prefixes.Add("app"));
        await using var services = Services(root, s => s.AddKvSection<DbSettings>().PostConfigure(v => v.Host += "-post"));
        Assert.Equal("h-post", services.GetRequiredService<IOptions<DbSettings>>().Value.Host);
    }

    [Fact]
    public async Task An_invalid_value_at_startup_throws_from_the_first_read()
    {
        await using var store = new MemoryKvStore();
        await store.PutAsync(DbSettings.Keys.Port, "nope");
        using var root = Kv.Build(store, s => s.Prefixes.Add("app"));
        await using var services = Services(root, s => s.AddKvSection<DbSettings>());
        Assert.Throws<Valkeyrie.Sections.KvBindingException>(() => services.GetRequiredService<IOptionsMonitor<DbSettings>>().CurrentValue);
    }

    private static ServiceProvider Services(IConfiguration configuration, Action<IServiceCollection> configure, LogCapture? logs = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging(b =>
        {
            if (logs is not null)
            {
                b.AddProvider(logs);
            }
        });
        configure(services);
        return services.BuildServiceProvider();
    }
}
