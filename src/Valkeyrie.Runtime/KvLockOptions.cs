namespace Valkeyrie;

/// <summary>Options for distributed locks.</summary>
public sealed record KvLockOptions
{
    /// <summary>The default lease time: how long a lock outlives a holder that died.</summary>
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromSeconds(15);

    /// <summary>The value stored at the lock's key while it is held (readable by anyone).</summary>
    public ReadOnlyMemory<byte> Value { get; init; }

    /// <summary>
    /// The lease time. The holder renews it in the background (about every third of it); when the holder dies
    /// the lock is freed within this time. Defaults to <see cref="DefaultTtl"/>.
    /// </summary>
    public TimeSpan Ttl { get; init; } = DefaultTtl;

    /// <summary>Options with every default.</summary>
    public static KvLockOptions Default { get; } = new();

    /// <summary>Checks the options and throws <see cref="ArgumentException"/> naming the problem.</summary>
    public void Validate()
    {
        if (Ttl <= TimeSpan.Zero)
        {
            throw new ArgumentException($"KvLockOptions.Ttl must be positive (was {Ttl}).", nameof(Ttl));
        }
    }
}
