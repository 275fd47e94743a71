using System.Runtime.CompilerServices;

namespace Valkeyrie.DynamoDB;

/// <summary>Registers the <c>dynamodb:</c> scheme when the assembly loads, so referencing the package is enough.</summary>
internal static class DynamoDbModule
{
#pragma warning disable CA2255 // Registering a scheme on load is exactly what a module initializer is for here.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() =>
        KvStoreFactory.Register(DynamoDbKvStoreOptions.Scheme, cs => new DynamoDbKvStore(DynamoDbKvStoreOptions.FromConnectionString(cs)));
}
