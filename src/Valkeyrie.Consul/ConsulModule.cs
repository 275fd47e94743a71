using System.Runtime.CompilerServices;

namespace Valkeyrie.Consul;

/// <summary>Registers the <c>consul</c> scheme with <see cref="KvStoreFactory"/> when the assembly loads.</summary>
internal static class ConsulModule
{
#pragma warning disable CA2255 // Registering on load is how a backend package plugs into KvStoreFactory (docs/store-contract.md, "For backend authors").
    [ModuleInitializer]
    internal static void Register() => KvStoreFactory.Register("consul", ConsulKvStore.Create);
#pragma warning restore CA2255
}
