namespace Valkeyrie.Benchmarks.Infrastructure;

/// <summary>The backends measured on real loopback servers.</summary>
public enum Backend
{
    /// <summary>An embedded LiteDB file in the temporary folder.</summary>
    LiteDb,

    /// <summary>redis-server.</summary>
    Redis,

    /// <summary>etcd.</summary>
    Etcd,

    /// <summary>A Consul dev agent.</summary>
    Consul,

    /// <summary>A standalone ZooKeeper server.</summary>
    ZooKeeper,

    /// <summary>dynalite, a DynamoDB-compatible server without <c>TransactWriteItems</c>: the store's log mode (three round trips per write).</summary>
    DynamoDb,

    /// <summary>moto, a DynamoDB implementation with <c>TransactWriteItems</c>: the store's native mode (one call per write).</summary>
    DynamoDbMoto,
}
