using System.Runtime.CompilerServices;
using Valkeyrie;

[assembly: KvStoreBackend(typeof(Valkeyrie.LiteDB.LiteDbRegistration))]

namespace Valkeyrie.LiteDB;

/// <summary>
/// Registers the <c>litedb:</c> scheme with <see cref="KvStoreFactory"/>. Referencing the package is enough: this runs when the assembly
/// loads, and under Native AOT the Valkeyrie generator calls <see cref="Register"/> from the app (docs/store-contract.md).
/// </summary>
public static class LiteDbRegistration
{
    /// <summary>Registers the <c>litedb:</c> scheme (idempotent). Call it at startup only when the app's compilation does not run the Valkeyrie generator.</summary>
    public static void Register()
    {
        KvStoreFactory.Register(LiteDbKvStore.Scheme, connectionString => new LiteDbKvStore(LiteDbKvStoreOptions.FromConnectionString(connectionString)));
    }

#pragma warning disable CA2255 // Registering on load is how a backend package plugs into KvStoreFactory when loaded by name.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RegisterOnLoad() => Register();
}
