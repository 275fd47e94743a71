using Valkeyrie.Testing.Servers;
using Valkeyrie.Testing.Servers.Fixtures;

namespace Valkeyrie.Etcd.Tests;

/// <summary>The tests that share one etcd server.</summary>
[CollectionDefinition(Name)]
public sealed class EtcdCollection : ICollectionFixture<EtcdServerFixture>
{
    public const string Name = "etcd";
}

/// <summary>Tests that stop and restart their server get one of their own.</summary>
[CollectionDefinition(Name)]
public sealed class EtcdRestartCollection : ICollectionFixture<EtcdRestartServerFixture>
{
    public const string Name = "etcd restart";
}

/// <summary>A server with authentication enabled (user root).</summary>
[CollectionDefinition(Name)]
public sealed class EtcdAuthCollection : ICollectionFixture<EtcdAuthServerFixture>
{
    public const string Name = "etcd auth";
}

/// <summary>A server of its own for the restart collection.</summary>
public sealed class EtcdRestartServerFixture : EtcdServerFixture;

/// <summary>A server with authentication enabled; the root password is <see cref="RootPassword"/>.</summary>
public sealed class EtcdAuthServerFixture : EtcdServerFixture
{
    public const string RootPassword = "s3cret-Root-pw";

    protected override EtcdServerOptions CreateOptions() => new() { RootPassword = RootPassword };
}
