using Valkeyrie.Benchmarks.Infrastructure;
using Valkeyrie.ZooKeeper.Protocol;

namespace Valkeyrie.Benchmarks.Stores;

/// <summary>
/// ZooKeeper: the protocol client inside Valkeyrie.ZooKeeper used directly (see <see cref="ZooKeeperRawClient"/>),
/// one node per key: getData, setData (any version), getChildren then every child's getData pipelined, and setData
/// on the last version seen for CAS (one round trip each, except List).
/// </summary>
public class ZooKeeperStoreBenchmarks : StoreBenchmarks
{
    private const string CasPath = "/raw/cas";
    private ZkClient _zk = null!;
    private int _casVersion;

    /// <inheritdoc />
    protected override Backend Backend => Backend.ZooKeeper;

    /// <inheritdoc />
    protected override async Task RawSetupAsync(string connectionString, bool seed)
    {
        _zk = await ZooKeeperRawClient.ConnectAsync(connectionString);
        await _zk.UpsertAsync("/raw", []);
        await _zk.UpsertAsync("/raw/get", Value);
        await _zk.UpsertAsync("/raw/put", Value);
        if (seed)
        {
            await _zk.UpsertAsync("/raw/list", []);
            await Task.WhenAll(Enumerable.Range(0, ListedKeys).Select(i => _zk.UpsertAsync(ListedKey("/raw/list", i), Value)));
        }

        _casVersion = (await _zk.UpsertAsync(CasPath, Value)).Version;
    }

    /// <inheritdoc />
    protected override async Task RawCleanupAsync() => await _zk.DisposeAsync();

    /// <inheritdoc />
    protected override async Task<int> RawGetAsync() => (await _zk.GetDataAsync("/raw/get", CancellationToken.None))!.Value.Data.Length;

    /// <inheritdoc />
    protected override Task RawPutAsync() => _zk.SetDataAsync("/raw/put", Value, -1, CancellationToken.None);

    /// <inheritdoc />
    protected override async Task<int> RawListAsync()
    {
        var children = (await _zk.GetChildrenAsync("/raw/list", CancellationToken.None))!.Value.Children;
        var reads = await Task.WhenAll(children.Select(name => _zk.GetDataAsync("/raw/list/" + name, CancellationToken.None)));
        return reads.Count(r => r is { Data.Length: > 0 });
    }

    /// <inheritdoc />
    protected override async Task RawCasAsync(byte[] value) =>
        _casVersion = (await _zk.SetDataAsync(CasPath, value, _casVersion, CancellationToken.None)).Version;
}
