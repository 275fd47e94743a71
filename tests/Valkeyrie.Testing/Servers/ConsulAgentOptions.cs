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

    /// <summary>Extra consul agent command-line arguments.</summary>
    public IList<string> ExtraArguments { get; } = [];
}
