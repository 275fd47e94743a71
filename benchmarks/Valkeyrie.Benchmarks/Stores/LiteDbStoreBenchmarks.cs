using LiteDB;
using Valkeyrie.Benchmarks.Infrastructure;

namespace Valkeyrie.Benchmarks.Stores;

/// <summary>
/// LiteDB: a <see cref="LiteDatabase"/> on a file of its own, kept open in direct mode (Valkeyrie instead reopens the
/// file per call so other processes can share it), one document per key: FindById, Upsert, a StartsWith query on the id, and
/// a transaction that checks a version before updating for CAS.
/// </summary>
public class LiteDbStoreBenchmarks : StoreBenchmarks
{
    private LiteDatabase _db = null!;
    private ILiteCollection<BsonDocument> _keys = null!;
    private long _casVersion;

    /// <inheritdoc />
    protected override Backend Backend => Backend.LiteDb;

    /// <inheritdoc />
    protected override async Task RawSetupAsync(string connectionString, bool seed)
    {
        var path = Path.ChangeExtension(connectionString["litedb:".Length..], ".raw.db");
        _db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
        _keys = _db.GetCollection("raw");
        _keys.DeleteAll();
        _keys.Upsert(Document("raw/get", Value, 1));
        _keys.InsertBulk(Enumerable.Range(0, ListedKeys).Select(i => Document(ListedKey("raw/list", i), Value, 1)));
        _keys.Upsert(Document("raw/cas", Value, 1));
        _casVersion = 1;
        await Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override Task RawCleanupAsync()
    {
        _db.Dispose();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override Task<int> RawGetAsync() => Task.FromResult(_keys.FindById("raw/get")["value"].AsBinary.Length);

    /// <inheritdoc />
    protected override Task RawPutAsync()
    {
        _keys.Upsert(Document("raw/put", Value, 1));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override Task<int> RawListAsync() =>
        Task.FromResult(_keys.Find(Query.StartsWith("_id", "raw/list/")).Count(d => d["value"].AsBinary.Length > 0));

    /// <inheritdoc />
    protected override Task RawCasAsync(byte[] value)
    {
        _db.BeginTrans();
        var current = _keys.FindById("raw/cas");
        if (current["ver"].AsInt64 != _casVersion)
        {
            _db.Rollback();
            throw new InvalidOperationException("Raw LiteDB CAS failed.");
        }

        _keys.Update(Document("raw/cas", value, ++_casVersion));
        _db.Commit();
        return Task.CompletedTask;
    }

    private static BsonDocument Document(string key, byte[] value, long version) =>
        new() { ["_id"] = key, ["value"] = value, ["ver"] = version };
}
