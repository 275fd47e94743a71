using System.Runtime.CompilerServices;
using Valkeyrie;

[assembly: KvStoreBackend(typeof(Valkeyrie.Redis.RedisRegistration))]

namespace Valkeyrie.Redis;

/// <summary>
/// Registers the <c>redis</c> and <c>rediss</c> schemes with <see cref="KvStoreFactory"/>. Referencing the package is enough: this runs when the assembly
/// loads, and under Native AOT the Valkeyrie generator calls <see cref="Register"/> from the app (docs/store-contract.md).
/// </summary>
public static class RedisRegistration
{
    /// <summary>Registers the <c>redis</c> and <c>rediss</c> schemes (idempotent). Call it at startup only when the app's compilation does not run the Valkeyrie generator.</summary>
    public static void Register()
    {
        KvStoreFactory.Register("redis", Create);
        KvStoreFactory.Register("rediss", Create);
    }

#pragma warning disable CA2255 // Registering on load is how a backend package plugs into KvStoreFactory when loaded by name.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RegisterOnLoad() => Register();

    private static IKvStore Create(KvConnectionString connectionString) => new RedisKvStore(RedisKvStoreOptions.Parse(connectionString));
}
