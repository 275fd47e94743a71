using System.Runtime.CompilerServices;

namespace Valkeyrie.Etcd;

/// <summary>Registers the <c>etcd</c> scheme with <see cref="KvStoreFactory"/> when this assembly loads.</summary>
internal static class EtcdRegistration
{
    // Referencing the package is all a user does; the factory loads this assembly by name and this registers the scheme.
#pragma warning disable CA2255 // Registration on load is the intended use here.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() =>
        KvStoreFactory.Register("etcd", connectionString => new EtcdKvStore(EtcdKvStoreOptions.Parse(connectionString)));
}
