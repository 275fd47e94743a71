namespace Valkeyrie.ZooKeeper.Protocol;

/// <summary>Settings of a <see cref="ZkClient"/>.</summary>
internal sealed record ZkClientOptions
{
    /// <summary>The servers, tried in order (rotating on each reconnect).</summary>
    public required IReadOnlyList<(string Host, int Port)> Endpoints { get; init; }

    /// <summary>A path prefix every request is relative to (<c>/app</c>), or empty for the root.</summary>
    public string Chroot { get; init; } = string.Empty;

    /// <summary>The session timeout asked for; the server clamps it to 2–20 ticks.</summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a call may wait for a connection and its reply before failing.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one TCP connect and handshake may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Authentications added to every connection of the session: (scheme, credentials), e.g. ("digest", "user:password").</summary>
    public IReadOnlyList<(string Scheme, byte[] Credentials)> Authentications { get; init; } = [];
}
