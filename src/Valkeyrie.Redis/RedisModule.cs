using System.Runtime.CompilerServices;

namespace Valkeyrie.Redis;

/// <summary>Registers the <c>redis</c> and <c>rediss</c> schemes with <see cref="KvStoreFactory"/> when the assembly loads.</summary>
internal static class RedisModule
{
#pragma warning disable CA2255 // Registering the scheme on load is what a module initializer is for in a library.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        KvStoreFactory.Register("redis", Create);
        KvStoreFactory.Register("rediss", Create);
    }

    private static IKvStore Create(KvConnectionString connectionString) => new RedisKvStore(RedisKvStoreOptions.Parse(connectionString));
}
