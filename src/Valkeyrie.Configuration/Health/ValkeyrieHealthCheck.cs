using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Valkeyrie.Configuration.Hosting;

namespace Valkeyrie.Configuration.Health;

/// <summary>
/// Reports whether the configuration stores answer and whether the data is current: unhealthy when a store does not
/// answer a probe, degraded when the data comes from the snapshot file, is empty because the store was down at
/// startup, or the watch keeps failing, or when the store has not confirmed the data for longer than the limit.
/// </summary>
internal sealed class ValkeyrieHealthCheck : IHealthCheck
{
    private readonly IConfiguration _configuration;
    private readonly TimeSpan? _staleAfter;

    public ValkeyrieHealthCheck(IConfiguration configuration, TimeSpan? staleAfter)
    {
        _configuration = configuration;
        _staleAfter = staleAfter;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var providers = ValkeyrieProviders.In(_configuration).ToList();
        if (providers.Count == 0)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "No Valkeyrie configuration source is registered (call AddValkeyrie on the configuration).");
        }

        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var worst = HealthStatus.Healthy;
        var problems = new List<string>();
        foreach (var provider in providers)
        {
            try
            {
                await provider.ProbeAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // The reason goes in the description and data, not as the result's exception: the health check
                // service logs that exception with its stack trace on every poll for as long as the outage lasts.
                worst = context.Registration.FailureStatus;
                problems.Add($"{provider.StoreName} is unreachable: {e.Message}");
                data[$"{provider.StoreName}:error"] = e.GetType().Name;
            }

            var status = provider.Status;
            data[$"{provider.StoreName}:state"] = status.State.ToString();
            data[$"{provider.StoreName}:keys"] = status.KeyCount;
            if (status.LastSynchronized is { } synchronized)
            {
                data[$"{provider.StoreName}:lastSynchronized"] = synchronized.ToString("O", CultureInfo.InvariantCulture);
            }

            var stale = _staleAfter is { } limit && (status.LastSynchronized is null || DateTimeOffset.UtcNow - status.LastSynchronized > limit);
            if (status.State is not ValkeyrieConfigurationState.Current || stale)
            {
                worst = worst == HealthStatus.Healthy ? HealthStatus.Degraded : worst;
                problems.Add(stale ? $"{provider.StoreName}: data not confirmed for longer than {_staleAfter}" : $"{provider.StoreName}: {status.State}");
            }
        }

        return new HealthCheckResult(
            worst,
            problems.Count == 0 ? "Configuration stores answer and the data is current." : string.Join("; ", problems),
            exception: null,
            data);
    }
}
