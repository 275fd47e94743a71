using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Valkeyrie.Testing.Servers.Clusters;

/// <summary>
/// A 3-member etcd cluster on loopback (each member an <see cref="EtcdServer"/> with its own ports and data), with raft
/// timings a little above etcd's defaults so a loaded 2-core machine does not trigger spurious elections.
/// </summary>
public sealed class EtcdCluster : ServerCluster<EtcdServer>
{
    private EtcdCluster(IReadOnlyList<EtcdServer> members)
        : base("etcd, 3 members", members)
    {
    }

    /// <summary><c>etcd://127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3</c>.</summary>
    public override string ConnectionString => MemberEndpoints("etcd");

    /// <summary>Creates and starts a cluster of <paramref name="size"/> members, disposing it when the start fails.</summary>
    /// <exception cref="FileNotFoundException">etcd is not installed.</exception>
    public static Task<EtcdCluster> StartNewAsync(int size = 3, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var options = new List<EtcdServerOptions>(size);
        var members = new List<EtcdServer>(size);
        for (var i = 0; i < size; i++)
        {
            var memberOptions = new EtcdServerOptions { MemberName = string.Create(CultureInfo.InvariantCulture, $"m{i}") };
            memberOptions.ExtraArguments.Add("--heartbeat-interval=150");
            memberOptions.ExtraArguments.Add("--election-timeout=1500");
            options.Add(memberOptions);
            members.Add(new EtcdServer(memberOptions));
        }

        // The peer ports are known only once every member exists; each member reads this at its start.
        var initialCluster = string.Join(',', members.Select(m => $"{m.MemberName}={m.PeerUrl}"));
        foreach (var memberOptions in options)
        {
            memberOptions.InitialCluster = initialCluster;
        }

        return StartedAsync(new EtcdCluster(members), cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task<bool> IsLeaderAsync(int member, CancellationToken cancellationToken)
    {
        // The gateway's maintenance status names this member and the leader it follows (uint64s as strings).
        using var response = await LoopbackHttp.Client.PostAsJsonAsync(
            new Uri(Members[member].ClientUrl, "/v3/maintenance/status"), new Dictionary<string, string>(), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return false;
        }

        using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var self = status.RootElement.GetProperty("header").GetProperty("member_id").GetString();
        return status.RootElement.TryGetProperty("leader", out var leader) && leader.GetString() == self;
    }
}
