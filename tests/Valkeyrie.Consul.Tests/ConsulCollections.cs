using Valkeyrie.Consul;
using Valkeyrie.Testing.Servers;
using Valkeyrie.Testing.Servers.Fixtures;

namespace Valkeyrie.Consul.Tests;

// One agent per collection: collections run in parallel, so the slow TTL and lock classes (Consul's session TTL is
// at least 10 s) overlap instead of adding up, and the restart class stops only its own agent.

[CollectionDefinition(Name)]
public sealed class ConsulCollection : ICollectionFixture<ConsulAgentFixture>
{
    public const string Name = "consul";
}

[CollectionDefinition(Name)]
public sealed class ConsulTtlCollection : ICollectionFixture<ConsulAgentFixture>
{
    public const string Name = "consul-ttl";
}

[CollectionDefinition(Name)]
public sealed class ConsulLockCollection : ICollectionFixture<ConsulAgentFixture>
{
    public const string Name = "consul-lock";
}

[CollectionDefinition(Name)]
public sealed class ConsulRestartCollection : ICollectionFixture<ConsulAgentFixture>
{
    public const string Name = "consul-restart";
}

[CollectionDefinition(Name)]
public sealed class ConsulAclCollection : ICollectionFixture<ConsulAclAgentFixture>
{
    public const string Name = "consul-acl";
}

/// <summary>An agent with ACLs on and default policy deny.</summary>
public sealed class ConsulAclAgentFixture : ConsulAgentFixture
{
    protected override ConsulAgentOptions CreateOptions() => new() { EnableAcl = true };
}

/// <summary>Connects stores to a test agent.</summary>
internal static class ConsulTarget
{
    public static ConsulKvStoreOptions Options(ConsulAgent agent, string? token = null)
    {
        var options = new ConsulKvStoreOptions { Token = token ?? agent.MasterToken };
        options.Endpoints.Add(agent.HttpAddress);
        return options;
    }

    public static Task<IKvStore> ConnectAsync(ConsulAgent agent) => Task.FromResult<IKvStore>(new ConsulKvStore(Options(agent)));
}
