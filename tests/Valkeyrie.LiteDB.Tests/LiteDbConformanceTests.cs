using Valkeyrie.Testing.Conformance;
using Valkeyrie.Testing.Conformance.Configuration;

namespace Valkeyrie.LiteDB.Tests;

// Each test gets its own file; every client the suite connects is a separate store instance on that file, so the
// suite's "other client" cases exercise several stores sharing one file.

public sealed class LiteDbBasicConformanceTests : KvBasicConformance
{
    private readonly TempDatabase _database;

    public LiteDbBasicConformanceTests() => _database = DisposeAfterTest(new TempDatabase());

    protected override Task<IKvStore> ConnectAsync() => Task.FromResult<IKvStore>(_database.Open());
}

public sealed class LiteDbAtomicConformanceTests : KvAtomicConformance
{
    private readonly TempDatabase _database;

    public LiteDbAtomicConformanceTests() => _database = DisposeAfterTest(new TempDatabase());

    protected override int MaxTransactionOperations => KvStoreLimits.LiteDB.MaxTransactionOperations;

    protected override Task<IKvStore> ConnectAsync() => Task.FromResult<IKvStore>(_database.Open());
}

public sealed class LiteDbWatchConformanceTests : KvWatchConformance
{
    private readonly TempDatabase _database;

    public LiteDbWatchConformanceTests() => _database = DisposeAfterTest(new TempDatabase());

    protected override Task<IKvStore> ConnectAsync() => Task.FromResult<IKvStore>(_database.Open());
}

public sealed class LiteDbLockConformanceTests : KvLockConformance
{
    private readonly TempDatabase _database;

    public LiteDbLockConformanceTests() => _database = DisposeAfterTest(new TempDatabase());

    protected override TimeSpan ExpiryGrace => TimeSpan.FromSeconds(3);

    protected override Task<IKvStore> ConnectAsync() => Task.FromResult<IKvStore>(_database.Open());
}

public sealed class LiteDbTtlConformanceTests : KvTtlConformance
{
    private readonly TempDatabase _database;

    public LiteDbTtlConformanceTests() => _database = DisposeAfterTest(new TempDatabase());

    protected override TimeSpan ExpiryGrace => TimeSpan.FromSeconds(3);

    protected override Task<IKvStore> ConnectAsync() => Task.FromResult<IKvStore>(_database.Open());
}

/// <summary>The server restart suite on a file taken away and given back (<see cref="LiteDbOutageTarget"/>).</summary>
public sealed class LiteDbRestartConformanceTests : KvRestartConformance
{
    private readonly LiteDbOutageTarget _target = new();

    protected override Task<IKvStore> ConnectAsync() => _target.ConnectAsync();

    protected override Task StopServerAsync() => _target.StopAsync();

    protected override Task StartServerAsync() => _target.StartAsync();

    public override async Task DisposeAsync()
    {
        await _target.StartAsync();
        await base.DisposeAsync();
        _target.Dispose();
    }
}

public sealed class LiteDbConfigurationConformanceTests : KvConfigurationConformance
{
    private readonly TempDatabase _database;

    public LiteDbConfigurationConformanceTests() => _database = DisposeAfterTest(new TempDatabase());

    protected override Task<IKvStore> ConnectAsync() => Task.FromResult<IKvStore>(_database.Open());
}

/// <summary>The provider across an outage of its file (<see cref="LiteDbOutageTarget"/>).</summary>
public sealed class LiteDbConfigurationRestartConformanceTests : KvConfigurationRestartConformance
{
    private readonly LiteDbOutageTarget _target = new();

    protected override Task<IKvStore> ConnectAsync() => _target.ConnectAsync();

    protected override Task StopServerAsync() => _target.StopAsync();

    protected override Task StartServerAsync() => _target.StartAsync();

    public override async Task DisposeAsync()
    {
        await _target.StartAsync();
        await base.DisposeAsync();
        _target.Dispose();
    }
}
