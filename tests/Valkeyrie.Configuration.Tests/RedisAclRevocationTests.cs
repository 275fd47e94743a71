using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Valkeyrie.Configuration.Tests.Support;
using Valkeyrie.Testing.Servers;

namespace Valkeyrie.Configuration.Tests;

/// <summary>
/// A Redis ACL user revoked (<c>ACL DELUSER</c>, which also drops its connections) while a provider watches: the health
/// check turns Unhealthy, the rejection is not logged once per retry, the last good values stay; restoring the
/// user brings the provider back, and later changes arrive again.
/// </summary>
public sealed class RedisAclRevocationTests
{
    private const string User = "cfg-app";
    private const string Password = "acl-revocation-pw";
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_revoked_user_makes_health_unhealthy_keeps_the_values_and_recovers_when_restored()
    {
        await using var server = await RedisServer.StartNewAsync(new RedisServerOptions { Password = "admin-pw", AclUser = User, AclPassword = Password });
        var connectionString = $"redis://{User}:{Password}@{server.Host}:{server.Port}?timeout=2s&connectTimeout=2s";
        await using (var seed = KvStoreFactory.Create(connectionString))
        {
            await seed.PutAsync("app/x", "1"u8.ToArray());
        }

        using var logs = new LogCapture();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddValkeyrie(connectionString, s =>
        {
            s.Prefixes.Add("app");
            s.LoggerFactory = logs.CreateFactory();
        });
        builder.Services.AddHealthChecks().AddValkeyrie();
        using var host = builder.Build();
        var configuration = host.Services.GetRequiredService<IConfiguration>();
        var health = host.Services.GetRequiredService<HealthCheckService>();
        Assert.Equal("1", configuration["app:x"]);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);

        await server.ExecuteAsync("ACL", "DELUSER", User);
        await EventuallyAsync(async () => (await health.CheckHealthAsync()).Status == HealthStatus.Unhealthy, "the health check to report the revoked user");
        Assert.Equal("1", configuration["app:x"]);
        await Task.Delay(TimeSpan.FromSeconds(3)); // several retry periods: no warning per retry
        var warnings = logs.Entries.Where(e => e.Level >= LogLevel.Warning).ToList();
        // Not once per retry. (Today the provider's watch logs nothing here: the health probe reports the rejection; see docs/security.md.)
        Assert.True(warnings.Count <= 1, $"the rejection was logged more than once: {string.Join(" | ", warnings.Select(e => $"{e.Level} {e.Exception?.GetType().Name}: {e.Message}"))}");
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains(Password, StringComparison.Ordinal) || (e.Exception?.ToString().Contains(Password, StringComparison.Ordinal) ?? false));

        await server.ExecuteAsync("ACL", "SETUSER", User, "on", $">{Password}", "~*", "&*", "+@all");
        await EventuallyAsync(async () => (await health.CheckHealthAsync()).Status == HealthStatus.Healthy, "the health check to recover");
        await using (var writer = KvStoreFactory.Create(connectionString))
        {
            await writer.PutAsync("app/x", "2"u8.ToArray());
        }

        await EventuallyAsync(() => Task.FromResult(configuration["app:x"] == "2"), "a change after the recovery to arrive");
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        using var timeout = new CancellationTokenSource(s_patience);
        while (!await condition())
        {
            if (timeout.IsCancellationRequested)
            {
                Assert.Fail($"Timed out waiting for {what}.");
            }

            await Task.Delay(100);
        }
    }
}
