using StackExchange.Redis;
using Valkeyrie.Benchmarks.Infrastructure;

namespace Valkeyrie.Benchmarks.Stores;

/// <summary>
/// Redis: StackExchange.Redis with the simplest layout a raw user would pick: a string per key, a hash for the
/// listed tree (one HGETALL), and a Lua compare-and-set on a version field for CAS (one round trip).
/// </summary>
public class RedisStoreBenchmarks : StoreBenchmarks
{
    private const string CasScript = """
        if redis.call('HGET', KEYS[1], 'ver') == ARGV[1] then
          return redis.call('HINCRBY', KEYS[1], 'ver', 1) + 0 * redis.call('HSET', KEYS[1], 'value', ARGV[2])
        end
        return -1
        """;

    private ConnectionMultiplexer _redis = null!;
    private IDatabase _db = null!;
    private long _casVersion;

    /// <inheritdoc />
    protected override Backend Backend => Backend.Redis;

    /// <inheritdoc />
    protected override async Task RawSetupAsync(string connectionString, bool seed)
    {
        var endpoint = new Uri(connectionString);
        _redis = await ConnectionMultiplexer.ConnectAsync($"{endpoint.Host}:{endpoint.Port}");
        _db = _redis.GetDatabase();
        await _db.StringSetAsync("raw:get", Value);
        var fields = Enumerable.Range(0, ListedKeys).Select(i => new HashEntry(ListedKey("raw", i), Value)).ToArray();
        await _db.KeyDeleteAsync("raw:list");
        await _db.HashSetAsync("raw:list", fields);
        await _db.HashSetAsync("raw:cas", [new HashEntry("value", Value), new HashEntry("ver", 1)]);
        _casVersion = 1;
    }

    /// <inheritdoc />
    protected override async Task RawCleanupAsync() => await _redis.DisposeAsync();

    /// <inheritdoc />
    protected override async Task<int> RawGetAsync() => ((byte[])(await _db.StringGetAsync("raw:get"))!).Length;

    /// <inheritdoc />
    protected override Task RawPutAsync() => _db.StringSetAsync("raw:put", Value);

    /// <inheritdoc />
    protected override async Task<int> RawListAsync() => (await _db.HashGetAllAsync("raw:list")).Length;

    /// <inheritdoc />
    protected override async Task RawCasAsync(byte[] value)
    {
        var result = (long)await _db.ScriptEvaluateAsync(CasScript, ["raw:cas"], [_casVersion, value]);
        _casVersion = result > 0 ? result : throw new InvalidOperationException("Raw Redis CAS failed.");
    }
}
