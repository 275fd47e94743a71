using Valkeyrie.Testing.Conformance;
using Valkeyrie.Testing.Conformance.Configuration;

namespace Valkeyrie.Redis.Tests;

[Collection(RedisCollection.Name)]
public sealed class RedisBasicConformanceTests(RedisFixture fixture) : KvBasicConformance
{
    protected override Task<IKvStore> ConnectAsync() => Task.FromResult(fixture.Connect());
}

[Collection(RedisCollection.Name)]
public sealed class RedisAtomicConformanceTests(RedisFixture fixture) : KvAtomicConformance
{
    protected override int MaxTransactionOperations => KvStoreLimits.Redis.MaxTransactionOperations;

    protected override Task<IKvStore> ConnectAsync() => Task.FromResult(fixture.Connect());
}

[Collection(RedisCollection.Name)]
public sealed class RedisWatchConformanceTests(RedisFixture fixture) : KvWatchConformance
{
    protected override Task<IKvStore> ConnectAsync() => Task.FromResult(fixture.Connect());
}

[Collection(RedisCollection.Name)]
public sealed class RedisLockConformanceTests(RedisFixture fixture) : KvLockConformance
{
    protected override Task<IKvStore> ConnectAsync() => Task.FromResult(fixture.Connect());
}

[Collection(RedisCollection.Name)]
public sealed class RedisTtlConformanceTests(RedisFixture fixture) : KvTtlConformance
{
    // Expiries are logged by the sweeper (every 250 ms in these tests); a second covers a slow, shared machine.
    protected override TimeSpan ExpiryGrace => TimeSpan.FromSeconds(3);

    protected override Task<IKvStore> ConnectAsync() => Task.FromResult(fixture.Connect());
}

[Collection(RedisRestartCollection.Name)]
public sealed class RedisRestartConformanceTests(RedisRestartFixture fixture) : KvRestartConformance
{
    protected override Task<IKvStore> ConnectAsync() => Task.FromResult(fixture.Connect());

    protected override Task StopServerAsync() => fixture.Server.StopAsync();

    protected override Task StartServerAsync() => fixture.Server.StartAsync();
}

[Collection(RedisCollection.Name)]
public sealed class RedisConfigurationConformanceTests(RedisFixture fixture) : KvConfigurationConformance
{
    protected override Task<IKvStore> ConnectAsync() => Task.FromResult(fixture.Connect());
}

[Collection(RedisRestartCollection.Name)]
public sealed class RedisConfigurationRestartConformanceTests(RedisRestartFixture fixture) : KvConfigurationRestartConformance
{
    protected override Task<IKvStore> ConnectAsync() => Task.FromResult(fixture.Connect());

    protected override Task StopServerAsync() => fixture.Server.StopAsync();

    protected override Task StartServerAsync() => fixture.Server.StartAsync();
}
