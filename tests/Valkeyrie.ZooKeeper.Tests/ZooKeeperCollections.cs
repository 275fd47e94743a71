using Valkeyrie.Testing.Servers.Fixtures;

namespace Valkeyrie.ZooKeeper.Tests;

/// <summary>The tests sharing one ZooKeeper server (each test works under its own key root).</summary>
[CollectionDefinition(Name)]
public sealed class ZooKeeperCollection : ICollectionFixture<ZooKeeperServerFixture>
{
    public const string Name = "zookeeper";
}

/// <summary>Tests that stop, kill or restart their server get one of their own.</summary>
[CollectionDefinition(Name)]
public sealed class ZooKeeperFaultCollection : ICollectionFixture<ZooKeeperFaultFixture>
{
    public const string Name = "zookeeper-faults";
}

/// <summary>A second server for fault tests, so stopping it never disturbs the shared one.</summary>
public sealed class ZooKeeperFaultFixture : ZooKeeperServerFixture;

/// <summary>How the tests connect: short sessions so dead holders are noticed quickly.</summary>
internal static class ZooKeeperTarget
{
    public static IKvStore Connect(string connectionString, string extra = "") =>
        KvStoreFactory.Create($"{connectionString}{(extra.Length == 0 ? "?" : "?" + extra + "&")}sessionTimeout=4s&requestTimeout=5s");
}
