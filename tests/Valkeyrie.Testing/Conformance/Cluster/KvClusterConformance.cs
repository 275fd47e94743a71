using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;
using Valkeyrie.Testing.Conformance.Configuration;
using Valkeyrie.Testing.Servers;
using Valkeyrie.Testing.Servers.Clusters;
using Xunit.Abstractions;

namespace Valkeyrie.Testing.Conformance.Cluster;

/// <summary>
/// The cluster suite (docs/store-contract.md, "Cluster endpoints"): a member of a real cluster is killed (SIGKILL) or
/// restarted under a live <c>AddValkeyrie</c> provider, a raw WatchTree and a sequential writer, and nothing may be lost:
/// every acknowledged write is kept, indexes only grow, the provider and the watch converge to the store, locks are never
/// held twice, and an increment is applied at most once per success or outcome-unknown error. A test project derives one
/// class per topology (so a failure names it), sharing one cluster per class; each test leaves every member running.
/// Measured times go to the test output (docs/benchmarks.md records them).
/// </summary>
/// <typeparam name="TMember">The cluster's member launcher.</typeparam>
public abstract class KvClusterConformance<TMember> : KvConformanceBase
    where TMember : ServerProcess
{
    private const int WritesBeforeFault = 30;
    private readonly ITestOutputHelper _output;

    /// <summary>Creates the suite over a running cluster.</summary>
    protected KvClusterConformance(ServerCluster<TMember> cluster, ITestOutputHelper output)
    {
        Cluster = cluster;
        _output = output;
    }

    /// <summary>The cluster under test.</summary>
    protected ServerCluster<TMember> Cluster { get; }

    /// <summary>A lock TTL the backend honours as asked.</summary>
    protected virtual TimeSpan LockTtl => TimeSpan.FromSeconds(3);

    /// <summary>Connects a client with the cluster's multi-endpoint connection string.</summary>
    protected abstract IKvStore Connect(string connectionString);

    /// <inheritdoc />
    protected sealed override Task<IKvStore> ConnectAsync() => Task.FromResult(Connect(Cluster.ConnectionString));

    /// <inheritdoc />
    public override async Task InitializeAsync()
    {
        // A previous test may have failed half-way: every member runs again and a leader leads before this one starts.
        for (var i = 0; i < Cluster.Members.Count; i++)
        {
            if (!Cluster.Members[i].IsRunning)
            {
                await Cluster.StartMemberAsync(i);
            }
        }

        await Cluster.WaitForLeaderAsync();
        await base.InitializeAsync();
        await RetryIdempotentAsync(() => Store.PutAsync(K("ready"), V("1")));
    }

    [Fact]
    public async Task Leader_kill_under_a_live_provider_and_writer_keeps_every_acknowledged_write()
    {
        int? killed = null;
        try
        {
            await UnderLoadAsync("leader kill", Patience * 4, async (writer, running, clock) =>
            {
                await writer.WaitForProgressAsync(WritesBeforeFault, running, Patience);
                var leader = await Cluster.WaitForLeaderAsync();
                var killedAt = clock.Elapsed;
                killed = leader;
                await Cluster.KillAsync(leader);
                var newLeader = await Cluster.WaitForLeaderAsync(notMember: leader);
                return (killedAt, string.Create(CultureInfo.InvariantCulture,
                    $"member {leader} killed, member {newLeader} leads after {(clock.Elapsed - killedAt).TotalSeconds:0.00} s"));
            });
        }
        finally
        {
            if (killed is { } member)
            {
                await Cluster.StartMemberAsync(member);
            }
        }
    }

    [Fact]
    public Task A_rolling_restart_of_every_member_loses_nothing() =>
        UnderLoadAsync("rolling restart", Patience * 6, async (writer, running, _) =>
        {
            for (var member = 0; member < Cluster.Members.Count; member++)
            {
                await writer.WaitForProgressAsync(writer.Acknowledged.Count + WritesBeforeFault, running, Patience * 2);
                await Cluster.RestartAsync(member);
                await Cluster.WaitForLeaderAsync();
            }

            return (TimeSpan.Zero, "every member restarted in turn");
        });

    [Fact]
    public async Task A_multi_endpoint_client_fails_over_when_the_first_endpoint_dies()
    {
        await Store.PutAsync(K("failover"), V("before"));
        await Cluster.KillFirstEndpointAsync();
        try
        {
            var clock = Stopwatch.StartNew();
            await RetryIdempotentAsync(() => Store.PutAsync(K("failover"), V("after")));
            var existing = clock.Elapsed;

            // A client created while the first endpoint is down connects through another.
            await using var fresh = await ConnectAsync();
            await RetryWhileUnavailableAsync(async () => Assert.Equal("after", (await fresh.GetAsync(K("failover")))?.ValueAsString));
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Cluster.Name}: first endpoint killed; the live client wrote again after {existing.TotalSeconds:0.00} s, a new client read after {clock.Elapsed.TotalSeconds:0.00} s"));
        }
        finally
        {
            await Cluster.StartFirstEndpointAsync();
        }
    }

    [Fact]
    public async Task A_lock_is_never_held_twice_across_a_leader_kill_and_passes_on_at_release()
    {
        var other = await ConnectExtraAsync();
        var options = new KvLockOptions { Ttl = LockTtl };
        var holder = await Store.CreateLock(K("lock"), options).AcquireAsync().WaitAsync(Patience);
        var waiting = other.CreateLock(K("lock"), options).AcquireAsync();

        var leader = await Cluster.WaitForLeaderAsync();
        await Cluster.KillAsync(leader);
        try
        {
            await Cluster.WaitForLeaderAsync(notMember: leader);

            // The waiter may take over only once the holder knows it lost the lock.
            var early = await Task.WhenAny(waiting, Task.Delay(LockTtl * 2));
            if (early == waiting)
            {
                Assert.True(waiting.IsCompletedSuccessfully, $"the waiter's acquire failed during the failover instead of waiting: {waiting.Exception?.GetBaseException()}");
                Assert.True(holder.Lost.IsCancellationRequested, "the waiter acquired the lock while the holder's lease had not fired Lost: held twice");
            }

            var clock = Stopwatch.StartNew();
            await holder.ReleaseAsync();
            if (await Task.WhenAny(waiting, Task.Delay(Patience * 2)) != waiting)
            {
                var stuck = await Store.GetAsync(K("lock"));
                Assert.Fail($"the waiter did not get the lock within {Patience.TotalSeconds * 2:0} s of its release; the lock key holds index {stuck?.LastIndex} (holder's token {holder.FencingToken}, holder lost: {holder.Lost.IsCancellationRequested})");
            }

            var next = await waiting;
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Cluster.Name}: lock passed on {clock.Elapsed.TotalSeconds:0.00} s after release (holder lost it during the failover: {holder.Lost.IsCancellationRequested})"));
            Assert.True(next.FencingToken > holder.FencingToken, $"fencing token {next.FencingToken} after {holder.FencingToken}: not increasing");
            await next.DisposeAsync();
        }
        finally
        {
            await Cluster.StartMemberAsync(leader);
        }
    }

    [Fact]
    public async Task Increments_across_a_leader_kill_are_applied_once_per_success_or_unknown_outcome()
    {
        const int Increments = 60;
        var counter = K("counter");
        await Store.PutAsync(counter, V("0"));
        int confirmed = 0, unknown = 0, unavailable = 0;
        int? killed = null;
        try
        {
            while (confirmed < Increments)
            {
                if (confirmed == Increments / 3 && killed is null)
                {
                    killed = await Cluster.WaitForLeaderAsync();
                    await Cluster.KillAsync(killed.Value);
                }

                try
                {
                    var current = (await Store.GetAsync(counter).WaitAsync(Patience))!;
                    var next = int.Parse(current.ValueAsString, CultureInfo.InvariantCulture) + 1;
                    var result = await Store.AtomicPutAsync(counter, V(next.ToString(CultureInfo.InvariantCulture)), current.LastIndex).WaitAsync(Patience);
                    if (result.Succeeded)
                    {
                        confirmed++;
                    }
                }
                catch (KvUnavailableException)
                {
                    unavailable++;
                    await Task.Delay(50);
                }
                catch (KvOutcomeUnknownException)
                {
                    unknown++;
                    await Task.Delay(50);
                }
            }
        }
        finally
        {
            if (killed is { } member)
            {
                await Cluster.StartMemberAsync(member);
            }
        }

        var final = int.Parse((await Store.GetAsync(counter))!.ValueAsString, CultureInfo.InvariantCulture);
        _output.WriteLine($"{Cluster.Name}: {confirmed} confirmed, {unknown} outcome-unknown, {unavailable} unavailable; counter {final}");
        Assert.True(final >= confirmed, $"the counter is {final} after {confirmed} confirmed increments: an acknowledged write was lost");
        Assert.True(final <= confirmed + unknown,
            $"the counter is {final} after {confirmed} confirmed and {unknown} outcome-unknown increments: a write was applied although the caller was told nothing was sent ({unavailable} unavailable errors)");
    }

    // Retries a call that is safe to repeat (a put of the same value, a read) through both kinds of failover error.
    private static async Task RetryIdempotentAsync(Func<Task> call)
    {
        var deadline = DateTime.UtcNow + Patience * 2;
        while (true)
        {
            try
            {
                await RetryWhileUnavailableAsync(call);
                return;
            }
            catch (KvOutcomeUnknownException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }

    private string WriteKey(int i) => K(string.Create(CultureInfo.InvariantCulture, $"w/k{i:D3}"));

    // Runs a fault under a live raw watch, provider and sequential writer, then checks and reports that nothing was lost.
    // The fault returns when (on the shared clock) it began and a description for the report.
    private async Task UnderLoadAsync(string what, TimeSpan timeout, Func<SequentialWriter, Task, Stopwatch, Task<(TimeSpan From, string Detail)>> fault)
    {
        var clock = Stopwatch.StartNew();
        await using var mirror = new TreeMirror(Store, K("w"), clock);
        await using var host = KvConfigurationHost.Start(Store, Root);
        using var provider = new ProviderRecorder(host, clock);
        var writer = new SequentialWriter(Store, WriteKey, clock);
        using var stop = new CancellationTokenSource(timeout);
        var running = writer.RunAsync(stop.Token);

        var (from, detail) = await fault(writer, running, clock);
        await writer.FinishAsync(running);
        await AssertConvergedAsync(writer, mirror, provider);
        Report(what, writer, mirror, provider, from, detail);
    }

    private async Task AssertConvergedAsync(SequentialWriter writer, TreeMirror mirror, ProviderRecorder provider)
    {
        var acknowledged = writer.Acknowledged;
        Assert.Equal(Enumerable.Range(0, acknowledged.Count), acknowledged.Select(a => a.Number));
        for (var i = 1; i < acknowledged.Count; i++)
        {
            Assert.True(acknowledged[i].Index > acknowledged[i - 1].Index,
                $"index went from {acknowledged[i - 1].Index} ({acknowledged[i - 1].Key}) to {acknowledged[i].Index} ({acknowledged[i].Key}): indexes must only grow");
        }

        var reader = await ConnectExtraAsync();
        IReadOnlyList<KvPair> stored = [];
        await RetryWhileUnavailableAsync(async () => stored = await reader.ListAsync(K("w")));
        var store = stored.ToDictionary(p => p.Key, p => p.ValueAsString);
        var lost = acknowledged.Where(a => store.GetValueOrDefault(a.Key) != SequentialWriter.ValueOf(a.Number)).Select(a => a.Key).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} acknowledged writes are missing from the store, e.g. {string.Join(", ", lost.Take(5))}");

        await EventuallyAsync(() => Task.FromResult(Same(mirror.State(), store)), Patience, "the raw WatchTree equals the store");
        var relative = store.ToDictionary(p => p.Key[(Root.Length + 1)..].Replace('/', ':'), p => p.Value);
        await EventuallyAsync(() => Task.FromResult(Same(provider.Section(), relative)), Patience, "the provider equals the store");
        Assert.False(mirror.Completion.IsFaulted, $"the watch ended: {mirror.Completion.Exception?.GetBaseException().Message}");
    }

    private void Report(string what, SequentialWriter writer, TreeMirror mirror, ProviderRecorder provider, TimeSpan from, string detail)
    {
        var acks = writer.Acknowledged.Where(a => a.At >= from).ToList();
        var watchLag = acks.Select(a => (mirror.FirstSeen(a.Key) ?? a.At) - a.At).DefaultIfEmpty().Max();
        var providerLag = acks.Select(a => (provider.FirstSeen(a.Key[(Root.Length + 1)..].Replace('/', ':')) ?? a.At) - a.At).DefaultIfEmpty().Max();
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Cluster.Name}, {what}: {detail}; write stall {writer.LongestStall.TotalSeconds:0.00} s; longest watch lag {watchLag.TotalSeconds:0.00} s " +
            $"({mirror.Snapshots} snapshots); longest provider lag {providerLag.TotalSeconds:0.00} s; " +
            $"{writer.Unavailable} unavailable and {writer.OutcomeUnknown} outcome-unknown attempts retried"));
    }

    private static bool Same(Dictionary<string, string> left, Dictionary<string, string> right) =>
        left.Count == right.Count && left.All(p => right.TryGetValue(p.Key, out var value) && value == p.Value);

    /// <summary>Records when each configuration key first appeared in the provider, on every reload.</summary>
    private sealed class ProviderRecorder : IDisposable
    {
        private readonly KvConfigurationHost _host;
        private readonly Stopwatch _clock;
        private readonly Dictionary<string, TimeSpan> _firstSeen = [];
        private readonly IDisposable _subscription;

        public ProviderRecorder(KvConfigurationHost host, Stopwatch clock)
        {
            _host = host;
            _clock = clock;
            _subscription = ChangeToken.OnChange(host.Configuration.GetReloadToken, Record);
            Record();
        }

        public Dictionary<string, string> Section() =>
            _host.Configuration.AsEnumerable().Where(p => p.Value is not null && p.Key.StartsWith("w:", StringComparison.Ordinal))
                .ToDictionary(p => p.Key, p => p.Value!);

        public TimeSpan? FirstSeen(string key)
        {
            lock (_firstSeen)
            {
                return _firstSeen.TryGetValue(key, out var at) ? at : null;
            }
        }

        public void Dispose() => _subscription.Dispose();

        private void Record()
        {
            var now = _clock.Elapsed;
            var keys = Section().Keys;
            lock (_firstSeen)
            {
                foreach (var key in keys)
                {
                    _firstSeen.TryAdd(key, now);
                }
            }
        }
    }
}
