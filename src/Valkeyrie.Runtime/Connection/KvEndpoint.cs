namespace Valkeyrie;

/// <summary>One host of a connection string.</summary>
/// <param name="Host">The host name or address (IPv6 without brackets).</param>
/// <param name="Port">The port, or <see langword="null"/> when the connection string omits it.</param>
public sealed record KvEndpoint(string Host, int? Port)
{
    /// <summary>The port, or <paramref name="defaultPort"/> when none was given.</summary>
    /// <param name="defaultPort">The backend's default port.</param>
    public int PortOr(int defaultPort) => Port ?? defaultPort;

    /// <summary><c>host:port</c>, with IPv6 hosts in brackets.</summary>
    public override string ToString()
    {
        var host = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
        return Port is { } port ? $"{host}:{port}" : host;
    }
}
