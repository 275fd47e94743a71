using Valkeyrie.Testing.Conformance;
using Valkeyrie.Testing.Conformance.Configuration;

namespace Valkeyrie.LiteDB.Tests;

// Each test gets its own file; every client the suite connects is a separate store instance on that file, so the
// suite's "other client" cases exercise several stores sharing one file.

public sealed class LiteDbBasicConformanceTests : KvBasicConformance
{
    private readonly TempDatabase _database = new();

    protected override Task<IKvStore> ConnectAsync() => Task.FromResult<IKvStore>(_database.Open());

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _database.Dispose();
    }
}

public sealed class LiteDbAtomicConformanceTests : KvAtomicConformance
{
    private readonly TempDatabase _database = new();

    protected override int MaxTransactionOperations => LiteDbKvStore.MaxTransactionOperations;

    protected override Task<IKvStore> ConnectAsync() => Task.FromResult<IKvStore>(_database.Open());

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _database.Dispose();
    }
}

public sealed class LiteDbWatchConformanceTests : KvWatchConformance
{
    private readonly TempDatabase _database = new();

    protected override Task<IKvStore> ConnectAsync() => Task.FromResult<IKvStore>(_database.Open());

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _database.Dispose();
    }
}

public sealed class LiteDbLockConformanceTests : KvLockConformance
{
    private readonly TempDatabase _database = new();

    protected override TimeSpan ExpiryGrace => TimeSpan.FromSeconds(3);

    protected override Task<IKvStore> ConnectAsync() => Task.FromResult<IKvStore>(_database.Open());

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _database.Dispose();
    }
}

public sealed class LiteDbTtlConformanceTests : KvTtlConformance
{
    private readonly TempDatabase _database = new();

    protected override TimeSpan ExpiryGrace => TimeSpan.FromSeconds(3);

    protected override Task<IKvStore> ConnectAsync() => Task.FromResult<IKvStore>(_database.Open());

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _database.Dispose();
    }
}

/// <summary>
/// An embedded file has no server to stop. Its outage is the file becoming inaccessible: "stop" takes the file away
/// from every store, the way another program opening it exclusively (LiteDB Studio in direct mode, a backup tool)
/// does, and "start" gives it back. Stores never keep the file open between calls, so they hold no handle across it.
/// </summary>
public sealed class LiteDbRestartConformanceTests : KvRestartConformance
{
    private readonly TempDatabase _database = new();
    private readonly FileOutage _outage;

    public LiteDbRestartConformanceTests() => _outage = new FileOutage(_database.FilePath);

    protected override Task<IKvStore> ConnectAsync() => Task.FromResult<IKvStore>(_database.Open());

    protected override Task StopServerAsync() => _outage.BeginAsync();

    protected override Task StartServerAsync()
    {
        _outage.End();
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync()
    {
        _outage.End();
        await base.DisposeAsync();
        _database.Dispose();
    }
}

public sealed class LiteDbConfigurationConformanceTests : KvConfigurationConformance
{
    private readonly TempDatabase _database = new();

    protected override Task<IKvStore> ConnectAsync() => Task.FromResult<IKvStore>(_database.Open());

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _database.Dispose();
    }
}

/// <summary>The outage is the file taken away, as in <see cref="LiteDbRestartConformanceTests"/>.</summary>
public sealed class LiteDbConfigurationRestartConformanceTests : KvConfigurationRestartConformance
{
    private readonly TempDatabase _database = new();
    private readonly FileOutage _outage;

    public LiteDbConfigurationRestartConformanceTests() => _outage = new FileOutage(_database.FilePath);

    protected override Task<IKvStore> ConnectAsync() => Task.FromResult<IKvStore>(_database.Open());

    protected override Task StopServerAsync() => _outage.BeginAsync();

    protected override Task StartServerAsync()
    {
        _outage.End();
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync()
    {
        _outage.End();
        await base.DisposeAsync();
        _database.Dispose();
    }
}
