using System.Globalization;

namespace Valkeyrie.Testing.Servers.Clusters;

/// <summary>
/// A 3-server Consul cluster on loopback, one server per address (127.0.0.2, .3, .4), each a <see cref="ConsulAgent"/>
/// that joins the others over Serf and bootstraps once all three are up.
/// </summary>
public sealed class ConsulCluster : ServerCluster<ConsulAgent>
{
    private ConsulCluster(IReadOnlyList<ConsulAgent> members)
        : base("Consul, 3 servers", members)
    {
    }

    /// <summary><c>consul://127.0.0.2:P1,127.0.0.3:P2,127.0.0.4:P3</c>.</summary>
    public override string ConnectionString => MemberEndpoints("consul");

    /// <summary>Creates and starts a cluster of <paramref name="size"/> servers, disposing it when the start fails.</summary>
    /// <param name="size">How many servers.</param>
    /// <param name="sessionTtlMin">The shortest session TTL the servers accept; null keeps Consul's 10 s.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="FileNotFoundException">consul is not installed.</exception>
    public static Task<ConsulCluster> StartNewAsync(int size = 3, TimeSpan? sessionTtlMin = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var options = new List<ConsulAgentOptions>(size);
        var members = new List<ConsulAgent>(size);
        for (var i = 0; i < size; i++)
        {
            var memberOptions = new ConsulAgentOptions
            {
                NodeName = string.Create(CultureInfo.InvariantCulture, $"m{i}"),
                BindAddress = string.Create(CultureInfo.InvariantCulture, $"127.0.0.{i + 2}"),
                BootstrapExpect = size,
                SessionTtlMin = sessionTtlMin,
            };
            options.Add(memberOptions);
            members.Add(new ConsulAgent(memberOptions));
        }

        for (var i = 0; i < size; i++)
        {
            foreach (var other in members.Where((_, j) => j != i))
            {
                options[i].RetryJoin.Add(string.Create(CultureInfo.InvariantCulture, $"{other.Host}:{other.SerfLanPort}"));
            }
        }

        return StartedAsync(new ConsulCluster(members), cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task<bool> IsLeaderAsync(int member, CancellationToken cancellationToken)
    {
        // Every server names the leader by its raft address (host:server port); the leader names itself.
        var server = Members[member];
        using var response = await server.SendAsync(HttpMethod.Get, "v1/status/leader", cancellationToken: cancellationToken);
        var address = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim().Trim('"');
        return response.IsSuccessStatusCode && address == string.Create(CultureInfo.InvariantCulture, $"{server.Host}:{server.ServerPort}");
    }
}
