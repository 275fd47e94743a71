using Valkeyrie.Testing.Servers.Fixtures;

namespace Valkeyrie.DynamoDB.Tests;

/// <summary>One moto server (DynamoDB with TransactWriteItems: the native commit path) shared by the collection's tests.</summary>
[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoServerFixture>
{
    public const string Name = "moto";
}

/// <summary>The outage tests freeze their server, so they get one of their own.</summary>
[CollectionDefinition(Name)]
public sealed class MotoOutageCollection : ICollectionFixture<MotoServerFixture>
{
    public const string Name = "moto-outage";
}
