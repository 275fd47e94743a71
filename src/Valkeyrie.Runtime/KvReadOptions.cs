namespace Valkeyrie;

/// <summary>Options for reads, lists and watches.</summary>
public sealed record KvReadOptions
{
    /// <summary>
    /// Asks for a linearizable read where the backend distinguishes (etcd serializable vs linearizable,
    /// Consul <c>consistent</c>, ZooKeeper <c>sync</c>). Defaults to <see langword="true"/>.
    /// </summary>
    public bool Consistent { get; init; } = true;

    /// <summary>Options with every default.</summary>
    public static KvReadOptions Default { get; } = new();
}
