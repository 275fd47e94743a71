namespace Valkeyrie.Consul;

/// <summary>Builders for the <c>/v1/txn</c> KV verbs Valkeyrie uses.</summary>
internal sealed class ConsulTxnOps(string? ns)
{
    /// <summary>Consul's limit on operations per transaction.</summary>
    public const int MaxOperations = 64;

    public ConsulTxnOperation Get(string key) => Op("get", key);

    public ConsulTxnOperation GetTree(string prefix) => Op("get-tree", prefix);

    public ConsulTxnOperation CheckIndex(string key, ulong index) => Op("check-index", key, index: index);

    public ConsulTxnOperation CheckNotExists(string key) => Op("check-not-exists", key);

    public ConsulTxnOperation Delete(string key) => Op("delete", key);

    public ConsulTxnOperation DeleteTree(string prefix) => Op("delete-tree", prefix);

    public ConsulTxnOperation DeleteCas(string key, ulong index) => Op("delete-cas", key, index: index);

    /// <summary>
    /// The operations of an unconditional write. The delete first clears a session a previous TTL write left on the
    /// key (a plain <c>set</c> would keep it, and the key would still expire); with a session the key is locked by it.
    /// </summary>
    public IEnumerable<ConsulTxnOperation> Write(string key, ReadOnlyMemory<byte> value, string? session)
    {
        yield return Delete(key);
        yield return session is null
            ? Op("set", key, value.ToArray())
            : Op("lock", key, value.ToArray(), session: session);
    }

    /// <summary>How many operations <see cref="Write"/> yields.</summary>
    public const int WriteCost = 2;

    private ConsulTxnOperation Op(string verb, string key, byte[]? value = null, ulong? index = null, string? session = null) => new()
    {
        Kv = new ConsulTxnKvOperation { Verb = verb, Key = key, Value = value, Index = index, Session = session, Namespace = ns },
    };
}
