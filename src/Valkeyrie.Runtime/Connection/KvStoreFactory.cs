using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Valkeyrie;

/// <summary>
/// Creates stores from connection strings. Referencing a backend package is enough: the Valkeyrie generator (shipped in
/// the Valkeyrie.Runtime package) calls each referenced backend's registration from the app's module initializer, which
/// keeps the backend through trimming and Native AOT; without the generator, a JIT app loads the backend assembly by
/// name on first use and its module initializer registers the scheme (docs/store-contract.md, "Connection strings").
/// </summary>
public static class KvStoreFactory
{
    // Scheme → the package that provides it and its registration class, so an unregistered scheme gets an actionable message.
    private static readonly (string Scheme, string Package, string Registration, string Example)[] KnownSchemes =
    [
        ("memory", "Valkeyrie.Runtime", "", "memory:// or memory://shared-name"),
        ("litedb", "Valkeyrie.LiteDB", "Valkeyrie.LiteDB.LiteDbRegistration", "litedb:./config.db"),
        ("consul", "Valkeyrie.Consul", "Valkeyrie.Consul.ConsulRegistration", "consul://127.0.0.1:8500?token=…"),
        ("etcd", "Valkeyrie.Etcd", "Valkeyrie.Etcd.EtcdRegistration", "etcd://h1:2379,h2:2379"),
        ("zookeeper", "Valkeyrie.ZooKeeper", "Valkeyrie.ZooKeeper.ZooKeeperRegistration", "zookeeper://h1:2181,h2:2181/chroot"),
        ("redis", "Valkeyrie.Redis", "Valkeyrie.Redis.RedisRegistration", "redis://127.0.0.1:6379?password=…"),
        ("rediss", "Valkeyrie.Redis", "Valkeyrie.Redis.RedisRegistration", "rediss://127.0.0.1:6380"),
        ("dynamodb", "Valkeyrie.DynamoDB", "Valkeyrie.DynamoDB.DynamoDbRegistration", "dynamodb://?table=config&region=eu-west-1"),
    ];

    private static readonly ConcurrentDictionary<string, Func<KvConnectionString, IKvStore>> Factories =
        new(StringComparer.OrdinalIgnoreCase) { ["memory"] = MemoryKvStore.Create };

    /// <summary>The schemes that can be created right now.</summary>
    public static IReadOnlyCollection<string> RegisteredSchemes => [.. Factories.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Registers (or replaces) the factory of a scheme.</summary>
    /// <param name="scheme">The scheme, without <c>:</c>.</param>
    /// <param name="factory">Creates a store from a parsed connection string.</param>
    public static void Register(string scheme, Func<KvConnectionString, IKvStore> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scheme);
        ArgumentNullException.ThrowIfNull(factory);
        Factories[scheme] = factory;
    }

    /// <summary>Creates a store from a connection string such as <c>redis://127.0.0.1:6379</c>.</summary>
    /// <param name="connectionString">The connection string.</param>
    /// <exception cref="KvConfigurationException">The string is malformed, the scheme is unknown, or its package is not referenced.</exception>
    public static IKvStore Create(string connectionString) => Create(KvConnectionString.Parse(connectionString));

    /// <summary>Creates a store from a parsed connection string.</summary>
    /// <param name="connectionString">The parsed connection string.</param>
    public static IKvStore Create(KvConnectionString connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        if (Factories.TryGetValue(connectionString.Scheme, out var factory) || TryLoadPackage(connectionString.Scheme, out factory))
        {
            return factory(connectionString);
        }

        var known = Array.Find(KnownSchemes, s => s.Scheme == connectionString.Scheme);
        var list = string.Join("; ", KnownSchemes.Select(s => $"{s.Scheme} ({s.Package}, e.g. {s.Example})"));
        throw new KvConfigurationException(known.Package is null
            ? $"Unknown store scheme '{connectionString.Scheme}'. Known schemes: {list}."
            : RuntimeFeature.IsDynamicCodeSupported
                ? $"The '{known.Scheme}' store is provided by the {known.Package} package, which is not referenced (or not loaded). Add a PackageReference to {known.Package}. Known schemes: {list}."
                : $"The '{known.Scheme}' store is provided by the {known.Package} package, which this Native AOT app does not register. Reference the {known.Package} package (the Valkeyrie generator in the Valkeyrie.Runtime package then registers it), or call {known.Registration}.Register() at startup. Known schemes: {list}.");
    }

    // Referencing a backend package does not load its assembly; loading it by name runs its module
    // initializer, which registers the scheme. Under Native AOT every module initializer has already run.
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Only runs the module initializer of an assembly the app references.")]
    private static bool TryLoadPackage(string scheme, out Func<KvConnectionString, IKvStore> factory)
    {
        var known = Array.Find(KnownSchemes, s => s.Scheme == scheme);
        if (known.Package is not null && known.Package != "Valkeyrie.Runtime")
        {
            try
            {
                var assembly = Assembly.Load(new AssemblyName(known.Package));
                RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
            }
            catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException or PlatformNotSupportedException)
            {
                // Not referenced: the caller reports which package to add.
            }
        }

        return Factories.TryGetValue(scheme, out factory!);
    }
}
