using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Valkeyrie.Configuration.Health;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Valkeyrie configuration health check.</summary>
public static class ValkeyrieHealthChecksBuilderExtensions
{
    /// <summary>
    /// Checks every Valkeyrie configuration provider: <paramref name="failureStatus"/> (unhealthy by default) when a
    /// store does not answer, degraded when the data is not current (snapshot file, empty optional source, failing
    /// watch, or older than <paramref name="staleAfter"/>).
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="failureStatus">The status when a store is unreachable; unhealthy when <see langword="null"/>.</param>
    /// <param name="tags">Tags to filter checks by.</param>
    /// <param name="staleAfter">Report degraded when the store has not confirmed the data for this long; off when <see langword="null"/>.</param>
    public static IHealthChecksBuilder AddValkeyrie(
        this IHealthChecksBuilder builder,
        string name = "valkeyrie",
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? staleAfter = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(
            name,
            services => new ValkeyrieHealthCheck(services.GetRequiredService<IConfiguration>(), staleAfter),
            failureStatus,
            tags));
    }
}
