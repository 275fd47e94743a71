using Valkeyrie.Testing.Conformance;
using Valkeyrie.Testing.Conformance.Configuration;
using Valkeyrie.Testing.Servers.Fixtures;

namespace Valkeyrie.Consul.Tests;

[Collection(ConsulCollection.Name)]
public sealed class ConsulBasicConformanceTests(ConsulAgentFixture fixture) : KvBasicConformance
{
    protected override Task<IKvStore> ConnectAsync() => ConsulTarget.ConnectAsync(fixture.Server);
}

[Collection(ConsulCollection.Name)]
public sealed class ConsulAtomicConformanceTests(ConsulAgentFixture fixture) : KvAtomicConformance
{
    // Consul applies 64 operations per transaction and a put costs two (a delete that clears any TTL session, then
    // the write), so the largest all-put transaction is 32 puts.
    protected override int MaxTransactionOperations => 32;

    protected override Task<IKvStore> ConnectAsync() => ConsulTarget.ConnectAsync(fixture.Server);
}

[Collection(ConsulCollection.Name)]
public sealed class ConsulWatchConformanceTests(ConsulAgentFixture fixture) : KvWatchConformance
{
    // Blocking queries return the current tree, not its history (issue 8 prescribes diffing it).
    protected override bool MergesRapidWritesToOneKey => true;

    protected override Task<IKvStore> ConnectAsync() => ConsulTarget.ConnectAsync(fixture.Server);
}

// Consul's shortest session TTL is 10 s, and it invalidates a session up to twice its TTL after the last renewal.
[Collection(ConsulLockCollection.Name)]
public sealed class ConsulLockConformanceTests(ConsulAgentFixture fixture) : KvLockConformance
{
    protected override TimeSpan MinimumTtl => TimeSpan.FromSeconds(10);

    protected override TimeSpan ExpiryGrace => TimeSpan.FromSeconds(15);

    protected override Task<IKvStore> ConnectAsync() => ConsulTarget.ConnectAsync(fixture.Server);
}

[Collection(ConsulTtlCollection.Name)]
public sealed class ConsulTtlConformanceTests(ConsulAgentFixture fixture) : KvTtlConformance
{
    protected override TimeSpan MinimumTtl => TimeSpan.FromSeconds(10);

    protected override TimeSpan ExpiryGrace => TimeSpan.FromSeconds(15);

    protected override Task<IKvStore> ConnectAsync() => ConsulTarget.ConnectAsync(fixture.Server);
}

[Collection(ConsulRestartCollection.Name)]
public sealed class ConsulRestartConformanceTests(ConsulAgentFixture fixture) : KvRestartConformance
{
    protected override Task<IKvStore> ConnectAsync() => ConsulTarget.ConnectAsync(fixture.Server);

    protected override Task StopServerAsync() => fixture.Server.StopAsync();

    protected override Task StartServerAsync() => fixture.Server.StartAsync();
}

[Collection(ConsulCollection.Name)]
public sealed class ConsulConfigurationConformanceTests(ConsulAgentFixture fixture) : KvConfigurationConformance
{
    protected override Task<IKvStore> ConnectAsync() => ConsulTarget.ConnectAsync(fixture.Server);
}

[Collection(ConsulRestartCollection.Name)]
public sealed class ConsulConfigurationRestartConformanceTests(ConsulAgentFixture fixture) : KvConfigurationRestartConformance
{
    protected override Task<IKvStore> ConnectAsync() => ConsulTarget.ConnectAsync(fixture.Server);

    protected override Task StopServerAsync() => fixture.Server.StopAsync();

    protected override Task StartServerAsync() => fixture.Server.StartAsync();
}
