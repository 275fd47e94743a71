using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Valkeyrie.Configuration.Tests.Support;
using Valkeyrie.Testing.Servers;

namespace Valkeyrie.Configuration.Tests;

/// <summary>
/// What a production team reads in the log, on a real Redis server of its own that is stopped and restarted: the
/// first load reaches the host's logger although it ran before logging existed; an outage is one warning and one
/// recovery however often the health check polls; the health check reports the reason without an exception.
/// </summary>
public sealed class ProviderLoggingTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task An_outage_is_logged_once_and_its_recovery_once_while_the_health_check_polls()
    {
        await using var redis = await RedisServer.StartNewAsync();
        var root = $"logs{Guid.NewGuid():N}";
        await using (var writer = KvStoreFactory.Create(redis.ConnectionString))
        {
            await writer.PutAsync($"{root}/x", "1");
        }

        var logs = new LogCapture();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddValkeyrie(redis.ConnectionString, s => s.Prefixes.Add(root));
        builder.Logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs);
        builder.Services.AddHealthChecks().AddValkeyrie();
        builder.Services.AddValkeyrieConfiguration();
        using var host = builder.Build();
        await host.StartAsync();
        var health = host.Services.GetRequiredService<HealthCheckService>();

        // Load ran inside AddValkeyrie, before the host's logging existed; starting the host replays it.
        Assert.Single(logs.Entries, e => e.EventId.Id == 1 && e.Message.Contains("Loaded 1 configuration keys", StringComparison.Ordinal));

        await redis.StopAsync();
        for (var poll = 0; poll < 3; poll++)
        {
            var report = await health.CheckHealthAsync();
            var entry = report.Entries["valkeyrie"];
            Assert.Equal(HealthStatus.Unhealthy, entry.Status);
            Assert.Contains("unreachable", entry.Description, StringComparison.Ordinal);
            Assert.Null(entry.Exception);
            Assert.Contains(entry.Data.Keys, k => k.EndsWith(":error", StringComparison.Ordinal));
        }

        Assert.Single(logs.Entries, e => e.EventId.Id == 30);
        Assert.Equal("1", host.Services.GetRequiredService<IConfiguration>()[$"{root}:x"]);

        await redis.StartAsync();
        using var deadline = new CancellationTokenSource(Limit);
        while ((await health.CheckHealthAsync(deadline.Token)).Status != HealthStatus.Healthy)
        {
            await Task.Delay(200, deadline.Token); // polling the health check is what the test is about
        }

        Assert.Single(logs.Entries, e => e.EventId.Id == 30);
        Assert.Single(logs.Entries, e => e.EventId.Id == 31);
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning && e.Exception is not null && e.EventId.Id != 3);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_store_down_at_startup_fails_with_the_connection_error_inside()
    {
        await using var stopped = await RedisServer.StartNewAsync();
        var connectionString = stopped.ConnectionString;
        await stopped.StopAsync();

        var error = Assert.Throws<KvUnavailableException>(() => new ConfigurationBuilder()
            .AddValkeyrie(connectionString, s =>
            {
                s.Prefixes.Add("app");
                s.StartupTimeout = TimeSpan.FromSeconds(2);
            })
            .Build());

        Assert.NotNull(error.InnerException);
        Assert.IsNotType<TaskCanceledException>(error.InnerException);
        Assert.IsAssignableFrom<KvException>(error.InnerException);
    }
}
