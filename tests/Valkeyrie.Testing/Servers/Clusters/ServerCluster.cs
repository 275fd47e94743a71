using System.Diagnostics;
using System.Globalization;

namespace Valkeyrie.Testing.Servers.Clusters;

/// <summary>
/// A few real server processes on loopback that form one replicated store: an etcd cluster, a ZooKeeper ensemble, a
/// Consul server cluster, or a Redis primary with replicas and Sentinels. Members are started together (none is ready
/// before a quorum is up), and one member at a time can be killed (SIGKILL), frozen (SIGSTOP) or restarted, which the
/// cluster suite uses to take the leader away under a live writer and watcher. Disposing kills every member.
/// </summary>
/// <typeparam name="TMember">The launcher of one data-holding member.</typeparam>
public abstract class ServerCluster<TMember> : IAsyncDisposable
    where TMember : ServerProcess
{
    private static readonly TimeSpan s_leaderProbeInterval = TimeSpan.FromMilliseconds(200);
    private bool _disposed;

    /// <summary>Creates the cluster around members that are prepared but not started.</summary>
    /// <param name="name">The topology's name in messages, e.g. "etcd, 3 members".</param>
    /// <param name="members">The data-holding members.</param>
    protected ServerCluster(string name, IReadOnlyList<TMember> members)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(members);
        Name = name;
        Members = members;
    }

    /// <summary>The topology's name, e.g. "etcd, 3 members".</summary>
    public string Name { get; }

    /// <summary>The data-holding members, in a fixed order; indexes into this list name a member.</summary>
    public IReadOnlyList<TMember> Members { get; }

    /// <summary>
    /// How long a leader election (or a Sentinel failover) may take before <see cref="WaitForLeaderAsync"/> gives up.
    /// Generous: the machines running the suite are shared.
    /// </summary>
    public TimeSpan ElectionTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one leader probe of one member may take (a frozen member never answers).</summary>
    protected static TimeSpan ProbeTimeout { get; } = TimeSpan.FromSeconds(2);

    /// <summary>The connection string that lists every member (or every Sentinel), so a client can fail over.</summary>
    public abstract string ConnectionString { get; }

    /// <summary>Every process the cluster runs: the members, plus helpers such as Sentinels.</summary>
    protected virtual IEnumerable<ServerProcess> AllProcesses => Members;

    /// <summary>Starts every process together and waits until the cluster has a leader.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await Task.WhenAll(AllProcesses.Select(process => process.StartAsync(cancellationToken)));
        await WaitUntilFormedAsync(cancellationToken);
        await WaitForLeaderAsync(cancellationToken: cancellationToken);
    }

    /// <summary>Kills member <paramref name="member"/> at once (SIGKILL), as a crash would.</summary>
    public Task KillAsync(int member, CancellationToken cancellationToken = default) => Members[member].KillAsync(cancellationToken);

    /// <summary>Starts member <paramref name="member"/> again after a kill or stop, on the same ports and data.</summary>
    public virtual Task StartMemberAsync(int member, CancellationToken cancellationToken = default) => Members[member].StartAsync(cancellationToken);

    /// <summary>Stops member <paramref name="member"/> politely and starts it again, waiting until it serves again.</summary>
    public async Task RestartAsync(int member, CancellationToken cancellationToken = default)
    {
        await Members[member].StopAsync(cancellationToken);
        await StartMemberAsync(member, cancellationToken);
    }

    /// <summary>Kills the process the connection string names first (a member, or for Redis a Sentinel).</summary>
    public virtual Task KillFirstEndpointAsync(CancellationToken cancellationToken = default) => KillAsync(0, cancellationToken);

    /// <summary>Starts the process <see cref="KillFirstEndpointAsync"/> killed.</summary>
    public virtual Task StartFirstEndpointAsync(CancellationToken cancellationToken = default) => StartMemberAsync(0, cancellationToken);

    /// <summary>Freezes member <paramref name="member"/> (SIGSTOP): its ports stay open but nothing is answered.</summary>
    public void Freeze(int member) => Members[member].Freeze();

    /// <summary>Resumes a member frozen by <see cref="Freeze"/>.</summary>
    public void Resume(int member) => Members[member].Resume();

    /// <summary>
    /// Waits until a running member is the leader (or primary) and returns its index; with <paramref name="notMember"/>,
    /// waits until another member than that one leads (a new election after it was killed).
    /// </summary>
    /// <exception cref="TimeoutException">No leader within <see cref="ElectionTimeout"/>; the message holds each member's output.</exception>
    public async Task<int> WaitForLeaderAsync(int? notMember = null, CancellationToken cancellationToken = default)
    {
        var elapsed = Stopwatch.StartNew();
        var lastProblem = "no probe finished yet";
        while (true)
        {
            try
            {
                if (await TryFindLeaderAsync(cancellationToken) is { } leader && leader != notMember && Members[leader].IsRunning)
                {
                    return leader;
                }

                lastProblem = "no member reports itself as the leader";
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                lastProblem = $"{e.GetType().Name}: {e.Message}";
            }

            if (elapsed.Elapsed > ElectionTimeout)
            {
                throw new TimeoutException(Describe(string.Create(CultureInfo.InvariantCulture,
                    $"had no leader{(notMember is { } old ? $" other than member {old}" : string.Empty)} within {ElectionTimeout.TotalSeconds:0} s (last probe: {lastProblem})")));
            }

            await Task.Delay(s_leaderProbeInterval, cancellationToken);
        }
    }

    /// <summary>Kills every process and deletes the data.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var process in AllProcesses)
        {
            await process.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>A failure message naming the topology and holding every process's recent output.</summary>
    public string Describe(string problem)
    {
        var output = string.Join(Environment.NewLine, AllProcesses.Select(p =>
            string.Create(CultureInfo.InvariantCulture, $"--- {p.Name} on {p.Host}:{p.Port} ({(p.IsRunning ? "running" : "stopped")}):{Environment.NewLine}{p.Output}")));
        return $"The {Name} cluster {problem}.{Environment.NewLine}{output}";
    }

    /// <summary>
    /// One probe: the index of the member that leads right now, or null while there is none. By default asks each
    /// running member <see cref="IsLeaderAsync"/>, each within <see cref="ProbeTimeout"/>; a member that is down, frozen
    /// or not serving yet counts as not leading.
    /// </summary>
    protected virtual async Task<int?> TryFindLeaderAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < Members.Count; i++)
        {
            if (!Members[i].IsRunning)
            {
                continue;
            }

            using var probeTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            probeTimeout.CancelAfter(ProbeTimeout);
            try
            {
                if (await IsLeaderAsync(i, probeTimeout.Token))
                {
                    return i;
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or System.Net.Sockets.SocketException
                || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // This member is down, frozen or still electing; ask the next.
            }
        }

        return null;
    }

    /// <summary>Whether member <paramref name="member"/> says it leads (used by the default <see cref="TryFindLeaderAsync"/>).</summary>
    protected virtual Task<bool> IsLeaderAsync(int member, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} finds its leader another way.");

    /// <summary><c>scheme://host1:port1,host2:port2,…</c> over every member.</summary>
    protected string MemberEndpoints(string scheme) =>
        scheme + "://" + string.Join(',', Members.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Host}:{m.Port}")));

    /// <summary>Waits, after every process started, until the members know each other (e.g. Sentinels found each other).</summary>
    protected virtual Task WaitUntilFormedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Starts the cluster a subclass just created, disposing it when the start fails (each cluster's <c>StartNewAsync</c>).</summary>
    /// <typeparam name="TCluster">The cluster type.</typeparam>
    /// <param name="cluster">The cluster, not started yet.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    protected static async Task<TCluster> StartedAsync<TCluster>(TCluster cluster, CancellationToken cancellationToken)
        where TCluster : ServerCluster<TMember>
    {
        try
        {
            await cluster.StartAsync(cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }
}
