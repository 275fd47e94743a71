using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Valkeyrie.Configuration.Sections;
using Valkeyrie.Sections;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers typed Valkeyrie sections with the options system.</summary>
public static class KvSectionServiceCollectionExtensions
{
    /// <summary>
    /// Registers <c>IOptions&lt;T&gt;</c>, <c>IOptionsSnapshot&lt;T&gt;</c> and <c>IOptionsMonitor&lt;T&gt;</c> for a generated
    /// section, bound from <c>T.ConfigurationPath</c> by the generated code (no reflection). The monitor fires when the
    /// section's keys change; a reload that does not bind or validate keeps the last valid value and is reported through
    /// logging and <see cref="KvSectionOptions.OnReloadError"/>. Chain <c>.Validate(...)</c> and <c>.ValidateOnStart()</c>
    /// on the returned builder; <c>Configure</c>/<c>PostConfigure</c> actions run after binding.
    /// </summary>
    /// <typeparam name="T">A <c>[KvSection]</c> class.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the section's options.</param>
    // The options interfaces declare T's constructor as needed by their default factory; this factory never uses it.
    public static OptionsBuilder<T> AddKvSection<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(this IServiceCollection services, Action<KvSectionOptions>? configure = null)
        where T : class, IKvSection<T>
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new KvSectionOptions();
        configure?.Invoke(options);
        services.AddOptions();
        services.AddValkeyrieConfiguration();
        services.TryAddSingleton(sp => new KvSectionOptionsSource<T>(
            sp.GetRequiredService<IConfiguration>(),
            sp.GetServices<IConfigureOptions<T>>(),
            sp.GetServices<IPostConfigureOptions<T>>(),
            sp.GetServices<IValidateOptions<T>>(),
            sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
            options));
        services.TryAddSingleton<IOptionsFactory<T>>(sp => sp.GetRequiredService<KvSectionOptionsSource<T>>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOptionsChangeTokenSource<T>, KvSectionOptionsSource<T>>(
            sp => sp.GetRequiredService<KvSectionOptionsSource<T>>()));
        return new OptionsBuilder<T>(services, Options.Options.DefaultName);
    }
}
