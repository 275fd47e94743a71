using Valkeyrie.Testing.Conformance;
using Valkeyrie.Testing.Conformance.Configuration;
using Valkeyrie.Testing.Servers.Fixtures;

namespace Valkeyrie.DynamoDB.Tests;

[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbBasicConformanceTests(DynaliteServerFixture fixture) : KvBasicConformance
{
    protected override Task<IKvStore> ConnectAsync() => DynaliteTarget.ConnectAsync(fixture.Server);
}

[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbAtomicConformanceTests(DynaliteServerFixture fixture) : KvAtomicConformance
{
    protected override int MaxTransactionOperations => DynamoDbKvStore.MaxTransactionOperations;

    protected override Task<IKvStore> ConnectAsync() => DynaliteTarget.ConnectAsync(fixture.Server);
}

[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbWatchConformanceTests(DynaliteServerFixture fixture) : KvWatchConformance
{
    protected override Task<IKvStore> ConnectAsync() => DynaliteTarget.ConnectAsync(fixture.Server);
}

[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbLockConformanceTests(DynaliteServerFixture fixture) : KvLockConformance
{
    protected override Task<IKvStore> ConnectAsync() => DynaliteTarget.ConnectAsync(fixture.Server);
}

[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbTtlConformanceTests(DynaliteServerFixture fixture) : KvTtlConformance
{
    protected override Task<IKvStore> ConnectAsync() => DynaliteTarget.ConnectAsync(fixture.Server);
}

[Collection(DynaliteRestartCollection.Name)]
public sealed class DynamoDbRestartConformanceTests(DynaliteServerFixture fixture) : KvRestartConformance
{
    protected override Task<IKvStore> ConnectAsync() => DynaliteTarget.ConnectAsync(fixture.Server);

    protected override Task StopServerAsync() => fixture.Server.StopAsync();

    protected override Task StartServerAsync() => fixture.Server.StartAsync();
}

[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbConfigurationConformanceTests(DynaliteServerFixture fixture) : KvConfigurationConformance
{
    protected override Task<IKvStore> ConnectAsync() => DynaliteTarget.ConnectAsync(fixture.Server);
}

[Collection(DynaliteRestartCollection.Name)]
public sealed class DynamoDbConfigurationRestartConformanceTests(DynaliteServerFixture fixture) : KvConfigurationRestartConformance
{
    protected override Task<IKvStore> ConnectAsync() => DynaliteTarget.ConnectAsync(fixture.Server);

    protected override Task StopServerAsync() => fixture.Server.StopAsync();

    protected override Task StartServerAsync() => fixture.Server.StartAsync();
}
