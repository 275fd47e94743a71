namespace Valkeyrie.Testing.Servers;

/// <summary>Settings for <see cref="ConsulAgent"/>.</summary>
public sealed class ConsulAgentOptions : ServerOptions
{
    /// <summary>Turns ACLs on with default policy deny; <see cref="ConsulAgent.MasterToken"/> is then allowed everything.</summary>
    public bool EnableAcl { get; set; }

    /// <summary>The ACL master token; a new GUID when null. Ignored unless <see cref="EnableAcl"/> is set.</summary>
    public string? MasterToken { get; set; }

    /// <summary>The shortest session TTL the server accepts (Consul's default is 10 s); null keeps the default.</summary>
    public TimeSpan? SessionTtlMin { get; set; }

    /// <summary>The node's name; distinct per server of a cluster.</summary>
    public string NodeName { get; set; } = "valkeyrie";

    /// <summary>The loopback address (127.0.0.x) every port binds to; null for 127.0.0.1.</summary>
    public string? BindAddress { get; set; }

    /// <summary>How many servers must join before the first leader election (1 for a single server).</summary>
    public int BootstrapExpect { get; set; } = 1;

    /// <summary>The Serf LAN addresses (<c>host:port</c>) of the other servers to join; read at each start.</summary>
    public IList<string> RetryJoin { get; } = [];

    /// <summary>Extra consul agent command-line arguments.</summary>
    public IList<string> ExtraArguments { get; } = [];
}
