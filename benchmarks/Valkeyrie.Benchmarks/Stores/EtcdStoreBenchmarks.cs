using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;
using Valkeyrie.Benchmarks.Infrastructure;

namespace Valkeyrie.Benchmarks.Stores;

/// <summary>etcd: dotnet-etcd's <see cref="EtcdClient"/>: Get, Put, a prefix range, and a txn comparing mod_revision.</summary>
public class EtcdStoreBenchmarks : StoreBenchmarks
{
    private static readonly ByteString CasKey = ByteString.CopyFromUtf8("raw/cas");
    private EtcdClient _etcd = null!;
    private long _casRevision;

    /// <inheritdoc />
    protected override Backend Backend => Backend.Etcd;

    /// <inheritdoc />
    protected override async Task RawSetupAsync(string connectionString, bool seed)
    {
        var endpoint = new Uri(connectionString);
        _etcd = new EtcdClient($"http://{endpoint.Host}:{endpoint.Port}");
        var value = ByteString.CopyFrom(Value);
        await _etcd.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8("raw/get"), Value = value });
        for (var i = 0; seed && i < ListedKeys; i++)
        {
            await _etcd.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8(ListedKey("raw/list", i)), Value = value });
        }

        _casRevision = (await _etcd.PutAsync(new PutRequest { Key = CasKey, Value = value })).Header.Revision;
    }

    /// <inheritdoc />
    protected override Task RawCleanupAsync()
    {
        _etcd.Dispose();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override async Task<int> RawGetAsync() => (await _etcd.GetAsync("raw/get")).Kvs[0].Value.Length;

    /// <inheritdoc />
    protected override Task RawPutAsync() =>
        _etcd.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8("raw/put"), Value = ByteString.CopyFrom(Value) });

    /// <inheritdoc />
    protected override async Task<int> RawListAsync() => (await _etcd.GetRangeAsync("raw/list/")).Kvs.Count;

    /// <inheritdoc />
    protected override async Task RawCasAsync(byte[] value)
    {
        var request = new TxnRequest
        {
            Compare = { new Compare { Key = CasKey, Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Equal, ModRevision = _casRevision } },
            Success = { new RequestOp { RequestPut = new PutRequest { Key = CasKey, Value = ByteString.CopyFrom(value) } } },
        };
        var response = await _etcd.TransactionAsync(request);
        _casRevision = response.Succeeded ? response.Header.Revision : throw new InvalidOperationException("Raw etcd CAS failed.");
    }
}
