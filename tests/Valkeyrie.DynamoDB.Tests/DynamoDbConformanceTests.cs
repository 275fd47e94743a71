using Valkeyrie.Testing.Conformance;
using Valkeyrie.Testing.Conformance.Configuration;
using Valkeyrie.Testing.Servers.Fixtures;

namespace Valkeyrie.DynamoDB.Tests;

[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbBasicConformanceTests(DynaliteServerFixture fixture) : KvBasicConformance
{
    protected override Task<IKvStore> ConnectAsync() => DynamoDbTarget.ConnectAsync(fixture.Server);
}

[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbAtomicConformanceTests(DynaliteServerFixture fixture) : KvAtomicConformance
{
    protected override int MaxTransactionOperations => KvStoreLimits.DynamoDB.MaxTransactionOperations;

    protected override Task<IKvStore> ConnectAsync() => DynamoDbTarget.ConnectAsync(fixture.Server);
}

[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbWatchConformanceTests(DynaliteServerFixture fixture) : KvWatchConformance
{
    protected override Task<IKvStore> ConnectAsync() => DynamoDbTarget.ConnectAsync(fixture.Server);
}

[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbLockConformanceTests(DynaliteServerFixture fixture) : KvLockConformance
{
    protected override Task<IKvStore> ConnectAsync() => DynamoDbTarget.ConnectAsync(fixture.Server);
}

[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbTtlConformanceTests(DynaliteServerFixture fixture) : KvTtlConformance
{
    protected override Task<IKvStore> ConnectAsync() => DynamoDbTarget.ConnectAsync(fixture.Server);
}

[Collection(DynaliteRestartCollection.Name)]
public sealed class DynamoDbRestartConformanceTests(DynaliteServerFixture fixture) : KvRestartConformance
{
    protected override Task<IKvStore> ConnectAsync() => DynamoDbTarget.ConnectAsync(fixture.Server);

    protected override Task StopServerAsync() => fixture.Server.StopAsync();

    protected override Task StartServerAsync() => fixture.Server.StartAsync();
}

[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbConfigurationConformanceTests(DynaliteServerFixture fixture) : KvConfigurationConformance
{
    protected override Task<IKvStore> ConnectAsync() => DynamoDbTarget.ConnectAsync(fixture.Server);
}

[Collection(DynaliteRestartCollection.Name)]
public sealed class DynamoDbConfigurationRestartConformanceTests(DynaliteServerFixture fixture) : KvConfigurationRestartConformance
{
    protected override Task<IKvStore> ConnectAsync() => DynamoDbTarget.ConnectAsync(fixture.Server);

    protected override Task StopServerAsync() => fixture.Server.StopAsync();

    protected override Task StartServerAsync() => fixture.Server.StartAsync();
}

// The same suite on moto, where writes take the native TransactWriteItems path; each test on a table of its own (see DynamoDbTarget.NewTable).
[Collection(MotoCollection.Name)]
public sealed class DynamoDbMotoBasicConformanceTests(MotoServerFixture fixture) : KvBasicConformance
{
    private readonly string _table = DynamoDbTarget.NewTable();

    protected override Task<IKvStore> ConnectAsync() => DynamoDbTarget.ConnectAsync(fixture.Server, _table);
}

[Collection(MotoCollection.Name)]
public sealed class DynamoDbMotoAtomicConformanceTests(MotoServerFixture fixture) : KvAtomicConformance
{
    private readonly string _table = DynamoDbTarget.NewTable();

    protected override int MaxTransactionOperations => KvStoreLimits.DynamoDB.MaxTransactionOperations;

    protected override Task<IKvStore> ConnectAsync() => DynamoDbTarget.ConnectAsync(fixture.Server, _table);
}

[Collection(MotoCollection.Name)]
public sealed class DynamoDbMotoWatchConformanceTests(MotoServerFixture fixture) : KvWatchConformance
{
    private readonly string _table = DynamoDbTarget.NewTable();

    protected override Task<IKvStore> ConnectAsync() => DynamoDbTarget.ConnectAsync(fixture.Server, _table);
}

[Collection(MotoCollection.Name)]
public sealed class DynamoDbMotoLockConformanceTests(MotoServerFixture fixture) : KvLockConformance
{
    private readonly string _table = DynamoDbTarget.NewTable();

    protected override Task<IKvStore> ConnectAsync() => DynamoDbTarget.ConnectAsync(fixture.Server, _table);
}

[Collection(MotoCollection.Name)]
public sealed class DynamoDbMotoTtlConformanceTests(MotoServerFixture fixture) : KvTtlConformance
{
    private readonly string _table = DynamoDbTarget.NewTable();

    protected override Task<IKvStore> ConnectAsync() => DynamoDbTarget.ConnectAsync(fixture.Server, _table);
}

/// <summary>
/// The fault suite on moto. moto keeps its data in memory only, so a real restart would lose every table and no store
/// could pass; here "stopped" means frozen with SIGSTOP (the port accepts connections but nothing answers, like a hung
/// server or a cut network) and "started" means resumed with SIGCONT, data intact. Real restarts run on dynalite
/// (<see cref="DynamoDbRestartConformanceTests"/>).
/// </summary>
[Collection(MotoOutageCollection.Name)]
public sealed class DynamoDbMotoOutageConformanceTests(MotoServerFixture fixture) : KvRestartConformance
{
    private readonly string _table = DynamoDbTarget.NewTable();

    protected override Task<IKvStore> ConnectAsync() => DynamoDbTarget.ConnectAsync(fixture.Server, _table);

    protected override Task StopServerAsync()
    {
        fixture.Server.Freeze();
        return Task.CompletedTask;
    }

    protected override Task StartServerAsync()
    {
        fixture.Server.Resume();
        return Task.CompletedTask;
    }
}

[Collection(MotoCollection.Name)]
public sealed class DynamoDbMotoConfigurationConformanceTests(MotoServerFixture fixture) : KvConfigurationConformance
{
    private readonly string _table = DynamoDbTarget.NewTable();

    protected override Task<IKvStore> ConnectAsync() => DynamoDbTarget.ConnectAsync(fixture.Server, _table);
}
