using Valkeyrie.Testing.Conformance;
using Valkeyrie.Testing.Conformance.Configuration;
using Valkeyrie.Testing.Servers.Fixtures;

namespace Valkeyrie.Etcd.Tests;

// etcd leases have whole-second TTLs and the server raises any TTL below 1.5 × the election timeout (2 s by default).
file static class EtcdTarget
{
    public static readonly TimeSpan MinimumTtl = TimeSpan.FromSeconds(2);

    public static Task<IKvStore> Connect(EtcdServerFixture fixture) => Task.FromResult<IKvStore>(new EtcdKvStore(fixture.Server.ConnectionString));
}

[Collection(EtcdCollection.Name)]
public sealed class EtcdBasicConformanceTests(EtcdServerFixture fixture) : KvBasicConformance
{
    protected override Task<IKvStore> ConnectAsync() => EtcdTarget.Connect(fixture);
}

[Collection(EtcdCollection.Name)]
public sealed class EtcdAtomicConformanceTests(EtcdServerFixture fixture) : KvAtomicConformance
{
    protected override int MaxTransactionOperations => EtcdKvStoreOptions.DefaultMaxTransactionOperations;

    protected override Task<IKvStore> ConnectAsync() => EtcdTarget.Connect(fixture);
}

[Collection(EtcdCollection.Name)]
public sealed class EtcdWatchConformanceTests(EtcdServerFixture fixture) : KvWatchConformance
{
    protected override Task<IKvStore> ConnectAsync() => EtcdTarget.Connect(fixture);
}

[Collection(EtcdCollection.Name)]
public sealed class EtcdLockConformanceTests(EtcdServerFixture fixture) : KvLockConformance
{
    protected override TimeSpan MinimumTtl => EtcdTarget.MinimumTtl;

    protected override Task<IKvStore> ConnectAsync() => EtcdTarget.Connect(fixture);
}

[Collection(EtcdCollection.Name)]
public sealed class EtcdTtlConformanceTests(EtcdServerFixture fixture) : KvTtlConformance
{
    protected override TimeSpan MinimumTtl => EtcdTarget.MinimumTtl;

    protected override Task<IKvStore> ConnectAsync() => EtcdTarget.Connect(fixture);
}

[Collection(EtcdRestartCollection.Name)]
public sealed class EtcdRestartConformanceTests(EtcdRestartServerFixture fixture) : KvRestartConformance
{
    protected override Task<IKvStore> ConnectAsync() => EtcdTarget.Connect(fixture);

    protected override Task StopServerAsync() => fixture.Server.StopAsync();

    protected override Task StartServerAsync() => fixture.Server.StartAsync();
}

[Collection(EtcdCollection.Name)]
public sealed class EtcdConfigurationConformanceTests(EtcdServerFixture fixture) : KvConfigurationConformance
{
    protected override Task<IKvStore> ConnectAsync() => EtcdTarget.Connect(fixture);
}

[Collection(EtcdRestartCollection.Name)]
public sealed class EtcdConfigurationRestartConformanceTests(EtcdRestartServerFixture fixture) : KvConfigurationRestartConformance
{
    protected override Task<IKvStore> ConnectAsync() => EtcdTarget.Connect(fixture);

    protected override Task StopServerAsync() => fixture.Server.StopAsync();

    protected override Task StartServerAsync() => fixture.Server.StartAsync();
}
