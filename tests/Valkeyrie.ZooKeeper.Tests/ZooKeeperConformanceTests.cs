using Valkeyrie.Testing.Conformance;
using Valkeyrie.Testing.Conformance.Configuration;
using Valkeyrie.Testing.Servers.Fixtures;

namespace Valkeyrie.ZooKeeper.Tests;

[Collection(ZooKeeperCollection.Name)]
public sealed class ZooKeeperBasicConformanceTests(ZooKeeperServerFixture fixture) : KvBasicConformance
{
    protected override Task<IKvStore> ConnectAsync() => Task.FromResult(ZooKeeperTarget.Connect(fixture.Server.ConnectionString));
}

[Collection(ZooKeeperCollection.Name)]
public sealed class ZooKeeperAtomicConformanceTests(ZooKeeperServerFixture fixture) : KvAtomicConformance
{
    protected override int MaxTransactionOperations => KvStoreLimits.ZooKeeper.MaxTransactionOperations;

    protected override Task<IKvStore> ConnectAsync() => Task.FromResult(ZooKeeperTarget.Connect(fixture.Server.ConnectionString));
}

[Collection(ZooKeeperCollection.Name)]
public sealed class ZooKeeperWatchConformanceTests(ZooKeeperServerFixture fixture) : KvWatchConformance
{
    protected override Task<IKvStore> ConnectAsync() => Task.FromResult(ZooKeeperTarget.Connect(fixture.Server.ConnectionString));
}

[Collection(ZooKeeperCollection.Name)]
public sealed class ZooKeeperLockConformanceTests(ZooKeeperServerFixture fixture) : KvLockConformance
{
    // A dead holder's ephemeral nodes go when its session (4 s here) expires, checked every tick (1 s).
    protected override TimeSpan ExpiryGrace => TimeSpan.FromSeconds(10);

    protected override Task<IKvStore> ConnectAsync() => Task.FromResult(ZooKeeperTarget.Connect(fixture.Server.ConnectionString));
}

[Collection(ZooKeeperCollection.Name)]
public sealed class ZooKeeperTtlConformanceTests(ZooKeeperServerFixture fixture) : KvTtlConformance
{
    // TTL nodes are reaped by the server's container manager (every second in the fixture); keep-alive keys go
    // with their session (4 s here).
    protected override TimeSpan ExpiryGrace => TimeSpan.FromSeconds(10);

    protected override Task<IKvStore> ConnectAsync() => Task.FromResult(ZooKeeperTarget.Connect(fixture.Server.ConnectionString));
}

[Collection(ZooKeeperFaultCollection.Name)]
public sealed class ZooKeeperRestartConformanceTests(ZooKeeperFaultFixture fixture) : KvRestartConformance
{
    protected override Task<IKvStore> ConnectAsync() => Task.FromResult(ZooKeeperTarget.Connect(fixture.Server.ConnectionString));

    protected override Task StopServerAsync() => fixture.Server.StopAsync();

    protected override Task StartServerAsync() => fixture.Server.StartAsync();
}

[Collection(ZooKeeperCollection.Name)]
public sealed class ZooKeeperConfigurationConformanceTests(ZooKeeperServerFixture fixture) : KvConfigurationConformance
{
    protected override Task<IKvStore> ConnectAsync() => Task.FromResult(ZooKeeperTarget.Connect(fixture.Server.ConnectionString));
}

[Collection(ZooKeeperFaultCollection.Name)]
public sealed class ZooKeeperConfigurationRestartConformanceTests(ZooKeeperFaultFixture fixture) : KvConfigurationRestartConformance
{
    protected override Task<IKvStore> ConnectAsync() => Task.FromResult(ZooKeeperTarget.Connect(fixture.Server.ConnectionString));

    protected override Task StopServerAsync() => fixture.Server.StopAsync();

    protected override Task StartServerAsync() => fixture.Server.StartAsync();
}
