using System.Diagnostics;
using System.Globalization;

namespace Valkeyrie.Testing.Servers.Clusters;

/// <summary>
/// A Redis primary with replicas (each a <see cref="RedisServer"/> with an fsynced append-only file) watched by three
/// <see cref="RedisSentinel"/>s (quorum 2) under the service name <see cref="ServiceName"/>. Sentinels promote a replica
/// about two seconds after the primary stops answering. A member started again rejoins as a replica of whichever
/// member the Sentinels announce as primary, as an operator would restart it.
/// </summary>
public sealed class RedisSentinelCluster : ServerCluster<RedisServer>
{
    /// <summary>The service (master) name the Sentinels monitor.</summary>
    public const string ServiceName = "mymaster";

    private readonly IReadOnlyList<RedisServerOptions> _options;

    private RedisSentinelCluster(IReadOnlyList<RedisServer> members, IReadOnlyList<RedisServerOptions> options, IReadOnlyList<RedisSentinel> sentinels)
        : base(string.Create(CultureInfo.InvariantCulture, $"Redis, primary + {members.Count - 1} replica(s) + 3 Sentinels"), members)
    {
        _options = options;
        Sentinels = sentinels;
    }

    /// <summary>The Sentinels.</summary>
    public IReadOnlyList<RedisSentinel> Sentinels { get; }

    /// <summary><c>redis://S1,S2,S3?serviceName=mymaster</c>: the Sentinels' addresses; clients ask them for the primary.</summary>
    public override string ConnectionString =>
        "redis://" + string.Join(',', Sentinels.Select(s => s.ConnectionString)) + "?serviceName=" + ServiceName;

    /// <inheritdoc />
    protected override IEnumerable<ServerProcess> AllProcesses => [.. Members, .. Sentinels];

    /// <summary>Creates and starts a primary, <paramref name="replicas"/> replicas and three Sentinels, disposing them when the start fails.</summary>
    /// <param name="replicas">How many replicas.</param>
    /// <param name="extraConfig">redis.conf lines for every data member, e.g. <c>min-replicas-to-write 1</c>.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="FileNotFoundException">redis-server is not installed.</exception>
    public static Task<RedisSentinelCluster> StartNewAsync(int replicas = 1, IEnumerable<string>? extraConfig = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        var extra = extraConfig?.ToList() ?? [];
        var options = new List<RedisServerOptions>();
        var members = new List<RedisServer>();
        for (var i = 0; i <= replicas; i++)
        {
            var memberOptions = new RedisServerOptions();
            foreach (var line in extra.Concat(["repl-diskless-sync yes", "repl-diskless-sync-delay 0"]))
            {
                memberOptions.ExtraConfig.Add(line);
            }

            options.Add(memberOptions);
            members.Add(new RedisServer(memberOptions));
        }

        for (var i = 1; i <= replicas; i++)
        {
            SetPrimary(options[i], members[0]);
        }

        var sentinels = Enumerable.Range(0, 3).Select(_ => new RedisSentinel(ServiceName, members[0].Port, quorum: 2)).ToList();
        return StartedAsync(new RedisSentinelCluster(members, options, sentinels), cancellationToken);
    }

    /// <summary>
    /// Starts a member again as a replica of the primary the Sentinels announce. A stopped primary is started only once
    /// the Sentinels promoted another member, as an operator would, so it never comes back as a second primary.
    /// </summary>
    public override async Task StartMemberAsync(int member, CancellationToken cancellationToken = default)
    {
        var primary = await AnnouncedPrimaryAsync(cancellationToken);
        if (primary == member || primary is null)
        {
            primary = await WaitForLeaderAsync(notMember: member, cancellationToken);
        }

        SetPrimary(_options[member], Members[primary.Value]);
        await Members[member].StartAsync(cancellationToken);
    }

    /// <summary>Kills Sentinel <paramref name="sentinel"/> (SIGKILL).</summary>
    public Task KillSentinelAsync(int sentinel, CancellationToken cancellationToken = default) => Sentinels[sentinel].KillAsync(cancellationToken);

    /// <summary>Kills the first Sentinel: the connection string lists Sentinels, not data members.</summary>
    public override Task KillFirstEndpointAsync(CancellationToken cancellationToken = default) => KillSentinelAsync(0, cancellationToken);

    /// <summary>Starts the first Sentinel again.</summary>
    public override Task StartFirstEndpointAsync(CancellationToken cancellationToken = default) => Sentinels[0].StartAsync(cancellationToken);

    /// <inheritdoc />
    protected override async Task WaitUntilFormedAsync(CancellationToken cancellationToken)
    {
        // Sentinels find each other and the replicas through the primary; until they do, none could vote a failover.
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            var formed = true;
            foreach (var sentinel in Sentinels)
            {
                formed &= await sentinel.GetPrimaryFieldAsync("num-other-sentinels", cancellationToken) >= Sentinels.Count - 1
                    && await sentinel.GetPrimaryFieldAsync("num-slaves", cancellationToken) >= Members.Count - 1;
            }

            if (formed)
            {
                return;
            }

            if (elapsed.Elapsed > ElectionTimeout)
            {
                throw new TimeoutException(Describe(string.Create(CultureInfo.InvariantCulture,
                    $"did not form within {ElectionTimeout.TotalSeconds:0} s: the Sentinels do not all see each other and every replica")));
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <inheritdoc />
    protected override async Task<int?> TryFindLeaderAsync(CancellationToken cancellationToken)
    {
        // The primary is the member the Sentinels announce, once it also calls itself master (a promotion finished).
        if (await AnnouncedPrimaryAsync(cancellationToken) is not { } primary || !Members[primary].IsRunning)
        {
            return null;
        }

        using var probeTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        probeTimeout.CancelAfter(ProbeTimeout);
        var info = await Members[primary].ExecuteAsync(["INFO", "replication"], probeTimeout.Token);
        return info?.Contains("role:master", StringComparison.Ordinal) == true ? primary : null;
    }

    private async Task<int?> AnnouncedPrimaryAsync(CancellationToken cancellationToken)
    {
        // A majority of the running Sentinels must name the same member.
        var votes = new Dictionary<int, int>();
        foreach (var sentinel in Sentinels.Where(s => s.IsRunning))
        {
            using var probeTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            probeTimeout.CancelAfter(ProbeTimeout);
            try
            {
                var port = await sentinel.GetPrimaryPortAsync(probeTimeout.Token);
                var member = Members.ToList().FindIndex(m => m.Port == port);
                if (member >= 0)
                {
                    votes[member] = votes.GetValueOrDefault(member) + 1;
                }
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // This Sentinel is down or frozen; the others decide.
            }
        }

        var best = votes.OrderByDescending(v => v.Value).FirstOrDefault();
        return best.Value * 2 > Sentinels.Count ? best.Key : null;
    }

    private static void SetPrimary(RedisServerOptions options, RedisServer? primary)
    {
        const string ReplicaOf = "replicaof ";
        for (var i = options.ExtraConfig.Count - 1; i >= 0; i--)
        {
            if (options.ExtraConfig[i].StartsWith(ReplicaOf, StringComparison.Ordinal))
            {
                options.ExtraConfig.RemoveAt(i);
            }
        }

        if (primary is not null)
        {
            options.ExtraConfig.Add(string.Create(CultureInfo.InvariantCulture, $"{ReplicaOf}{primary.Host} {primary.Port}"));
        }
    }
}
