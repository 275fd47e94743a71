namespace Valkeyrie;

/// <summary>Options for reads, lists and watches.</summary>
public sealed record KvReadOptions
{
    /// <summary>The default <see cref="ReconcileInterval"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultReconcileInterval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Asks for a linearizable read where the backend distinguishes (etcd serializable vs linearizable,
    /// Consul <c>consistent</c>, ZooKeeper <c>sync</c>). Defaults to <see langword="true"/>.
    /// </summary>
    public bool Consistent { get; init; } = true;

    /// <summary>
    /// How often a watch re-reads its whole key or tree and compares it with what it has delivered, the backstop that
    /// catches any change the backend's change feed did not report (an operator's native tool, a lost notification).
    /// Whatever differs is delivered as ordinary events. Defaults to 30 seconds; <see cref="Timeout.InfiniteTimeSpan"/>
    /// or <see cref="TimeSpan.Zero"/> turns it off. See docs/store-contract.md ("Any writer").
    /// </summary>
    public TimeSpan ReconcileInterval { get; init; } = DefaultReconcileInterval;

    /// <summary>Options with every default.</summary>
    public static KvReadOptions Default { get; } = new();
}
