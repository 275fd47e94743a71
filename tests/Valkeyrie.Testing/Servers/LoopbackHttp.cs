namespace Valkeyrie.Testing.Servers;

/// <summary>
/// The HTTP client readiness probes and test helpers use: never a proxy (servers are on loopback and
/// the machine may have HTTP_PROXY set), and short-lived pooled connections so a restarted server is
/// not probed over a connection to its previous process.
/// </summary>
public static class LoopbackHttp
{
    /// <summary>A shared client without a base address or a client-wide timeout; pass a token per request.</summary>
    public static HttpClient Client { get; } = new(new SocketsHttpHandler
    {
        UseProxy = false,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(1),
        PooledConnectionLifetime = TimeSpan.FromSeconds(10),
        ConnectTimeout = TimeSpan.FromSeconds(5),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };
}
