using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Valkeyrie.Configuration.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the services that tie Valkeyrie configuration providers to a host.</summary>
public static class ValkeyrieServiceCollectionExtensions
{
    /// <summary>
    /// Registers a hosted service that gives every Valkeyrie configuration provider the host's logger factory when the
    /// host starts and stops their watches when it stops. <c>AddKvSection</c> calls this; calling it twice is harmless.
    /// </summary>
    /// <param name="services">The service collection.</param>
    public static IServiceCollection AddValkeyrieConfiguration(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ValkeyrieConfigurationLifetime>());
        return services;
    }
}
