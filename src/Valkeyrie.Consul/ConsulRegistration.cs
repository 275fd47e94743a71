using System.Runtime.CompilerServices;
using Valkeyrie;

[assembly: KvStoreBackend(typeof(Valkeyrie.Consul.ConsulRegistration))]

namespace Valkeyrie.Consul;

/// <summary>
/// Registers the <c>consul</c> scheme with <see cref="KvStoreFactory"/>. Referencing the package is enough: this runs when the assembly
/// loads, and under Native AOT the Valkeyrie generator calls <see cref="Register"/> from the app (docs/store-contract.md).
/// </summary>
public static class ConsulRegistration
{
    /// <summary>Registers the <c>consul</c> scheme (idempotent). Call it at startup only when the app's compilation does not run the Valkeyrie generator.</summary>
    public static void Register()
    {
        KvStoreFactory.Register("consul", ConsulKvStore.Create);
    }

#pragma warning disable CA2255 // Registering on load is how a backend package plugs into KvStoreFactory when loaded by name.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RegisterOnLoad() => Register();
}
