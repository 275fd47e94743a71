namespace Valkeyrie;

/// <summary>Options for writes.</summary>
public sealed record KvWriteOptions
{
    /// <summary>
    /// When set, the key expires about this long after the write. Sub-second values are rounded up to what the
    /// backend supports, never dropped. Must be positive.
    /// </summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>
    /// With <see cref="Ttl"/>: the store renews the key in the background until it is overwritten or deleted,
    /// or the store is disposed; after the process dies the key disappears within <see cref="Ttl"/>.
    /// </summary>
    public bool KeepAlive { get; init; }

    /// <summary>Options with every default: no expiry.</summary>
    public static KvWriteOptions Default { get; } = new();

    /// <summary>Checks the options and throws <see cref="ArgumentException"/> naming the problem.</summary>
    public void Validate()
    {
        if (Ttl is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw new ArgumentException($"KvWriteOptions.Ttl must be positive (was {ttl}); leave it null for no expiry.", nameof(Ttl));
        }

        if (KeepAlive && Ttl is null)
        {
            throw new ArgumentException("KvWriteOptions.KeepAlive needs a Ttl: the key is renewed within that TTL and expires after the process dies.", nameof(KeepAlive));
        }
    }
}
