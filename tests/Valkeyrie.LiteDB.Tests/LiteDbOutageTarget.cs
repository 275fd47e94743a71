namespace Valkeyrie.LiteDB.Tests;

/// <summary>
/// What the restart suites run on for LiteDB. An embedded file has no server to stop. Its outage is the file becoming
/// inaccessible: "stop" takes the file away from every store, the way another program opening it exclusively (LiteDB
/// Studio in direct mode, a backup tool) does, and "start" gives it back. Stores never keep the file open between
/// calls, so they hold no handle across it.
/// </summary>
public sealed class LiteDbOutageTarget : IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly FileOutage _outage;

    public LiteDbOutageTarget() => _outage = new FileOutage(_database.FilePath);

    public Task<IKvStore> ConnectAsync() => Task.FromResult<IKvStore>(_database.Open());

    public Task StopAsync() => _outage.BeginAsync();

    public Task StartAsync()
    {
        _outage.End();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _outage.End();
        _database.Dispose();
    }
}
