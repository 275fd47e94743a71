using System.Runtime.CompilerServices;

namespace Valkeyrie.ZooKeeper;

/// <summary>Registers the <c>zookeeper</c> scheme with <see cref="KvStoreFactory"/> when the assembly loads.</summary>
internal static class ZooKeeperModule
{
#pragma warning disable CA2255 // Registering the scheme on load is what lets a connection string find this backend.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() => KvStoreFactory.Register("zookeeper", ZooKeeperKvStore.Create);
}
