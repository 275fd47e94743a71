using System.Runtime.CompilerServices;

namespace Valkeyrie.LiteDB;

/// <summary>Registers the <c>litedb:</c> scheme with <see cref="KvStoreFactory"/> when the assembly loads.</summary>
internal static class LiteDbRegistration
{
#pragma warning disable CA2255 // Registering the scheme on load is the purpose: referencing the package is enough.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() =>
        KvStoreFactory.Register(LiteDbKvStore.Scheme, connectionString => new LiteDbKvStore(LiteDbKvStoreOptions.FromConnectionString(connectionString)));
}
