using Valkeyrie;
using Valkeyrie.Configuration;

namespace Microsoft.Extensions.Configuration;

/// <summary>Adds Valkeyrie stores to configuration, shaped like <c>AddJsonFile</c>.</summary>
public static class ValkeyrieConfigurationExtensions
{
    /// <summary>Loads every key of the store at <paramref name="connectionString"/> and keeps it current.</summary>
    /// <param name="builder">The configuration builder.</param>
    /// <param name="connectionString">A connection string such as <c>consul://127.0.0.1:8500</c> or <c>litedb:./config.db</c>.</param>
    public static IConfigurationBuilder AddValkeyrie(this IConfigurationBuilder builder, string connectionString) =>
        builder.AddValkeyrie(connectionString, configure: null);

    /// <summary>Loads the keys under <paramref name="prefix"/> and keeps them current.</summary>
    /// <param name="builder">The configuration builder.</param>
    /// <param name="connectionString">The store's connection string.</param>
    /// <param name="prefix">The store prefix to load, for example <c>app</c>.</param>
    public static IConfigurationBuilder AddValkeyrie(this IConfigurationBuilder builder, string connectionString, string prefix) =>
        builder.AddValkeyrie(connectionString, prefix, optional: false, reloadOnChange: true);

    /// <summary>Loads the keys under <paramref name="prefix"/>; an optional source lets the application start while the store is down.</summary>
    /// <param name="builder">The configuration builder.</param>
    /// <param name="connectionString">The store's connection string.</param>
    /// <param name="prefix">The store prefix to load.</param>
    /// <param name="optional">Whether the application may start without the store.</param>
    public static IConfigurationBuilder AddValkeyrie(this IConfigurationBuilder builder, string connectionString, string prefix, bool optional) =>
        builder.AddValkeyrie(connectionString, prefix, optional, reloadOnChange: true);

    /// <summary>Loads the keys under <paramref name="prefix"/>, optionally without the store and optionally without hot reload.</summary>
    /// <param name="builder">The configuration builder.</param>
    /// <param name="connectionString">The store's connection string.</param>
    /// <param name="prefix">The store prefix to load.</param>
    /// <param name="optional">Whether the application may start without the store.</param>
    /// <param name="reloadOnChange">Whether changes in the store are applied while the application runs.</param>
    public static IConfigurationBuilder AddValkeyrie(this IConfigurationBuilder builder, string connectionString, string prefix, bool optional, bool reloadOnChange)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return builder.AddValkeyrie(connectionString, source =>
        {
            source.Prefixes.Add(prefix);
            source.Optional = optional;
            source.ReloadOnChange = reloadOnChange;
        });
    }

    /// <summary>Loads from the store at <paramref name="connectionString"/> with options set by <paramref name="configure"/>.</summary>
    /// <param name="builder">The configuration builder.</param>
    /// <param name="connectionString">The store's connection string.</param>
    /// <param name="configure">Sets prefixes and other options.</param>
    public static IConfigurationBuilder AddValkeyrie(this IConfigurationBuilder builder, string connectionString, Action<ValkeyrieConfigurationSource>? configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.AddValkeyrie(source =>
        {
            source.ConnectionString = connectionString;
            configure?.Invoke(source);
        });
    }

    /// <summary>Loads from a store the caller created and disposes (the provider never disposes it).</summary>
    /// <param name="builder">The configuration builder.</param>
    /// <param name="store">The store.</param>
    /// <param name="configure">Sets prefixes and other options.</param>
    public static IConfigurationBuilder AddValkeyrie(this IConfigurationBuilder builder, IKvStore store, Action<ValkeyrieConfigurationSource>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        return builder.AddValkeyrie(source =>
        {
            source.Store = store;
            configure?.Invoke(source);
        });
    }

    /// <summary>Loads from a store created by <paramref name="storeFactory"/> on first load; the provider disposes it.</summary>
    /// <param name="builder">The configuration builder.</param>
    /// <param name="storeFactory">Creates the store.</param>
    /// <param name="configure">Sets prefixes and other options.</param>
    public static IConfigurationBuilder AddValkeyrie(this IConfigurationBuilder builder, Func<IKvStore> storeFactory, Action<ValkeyrieConfigurationSource>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(storeFactory);
        return builder.AddValkeyrie(source =>
        {
            source.StoreFactory = storeFactory;
            configure?.Invoke(source);
        });
    }

    /// <summary>Adds a Valkeyrie source configured entirely by <paramref name="configure"/>.</summary>
    /// <param name="builder">The configuration builder.</param>
    /// <param name="configure">Sets the store and the options.</param>
    public static IConfigurationBuilder AddValkeyrie(this IConfigurationBuilder builder, Action<ValkeyrieConfigurationSource> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var source = new ValkeyrieConfigurationSource();
        configure(source);
        return builder.Add(source);
    }
}
