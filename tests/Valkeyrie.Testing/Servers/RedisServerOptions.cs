namespace Valkeyrie.Testing.Servers;

/// <summary>Settings for <see cref="RedisServer"/>.</summary>
public sealed class RedisServerOptions : ServerOptions
{
    /// <summary>The default user's password (<c>requirepass</c>); null for none.</summary>
    public string? Password { get; set; }

    /// <summary>An extra ACL user allowed everything (<c>user NAME on &gt;PASSWORD ~* &amp;* +@all</c>); null for none.</summary>
    public string? AclUser { get; set; }

    /// <summary>The password of <see cref="AclUser"/>.</summary>
    public string? AclPassword { get; set; }

    /// <summary>Serve TLS only (<c>tls-port</c>, <c>port 0</c>) with these certificates; null for plaintext.</summary>
    public ServerTls? Tls { get; set; }

    /// <summary>Extra redis.conf lines, e.g. <c>notify-keyspace-events KEA</c>.</summary>
    public IList<string> ExtraConfig { get; } = [];
}
