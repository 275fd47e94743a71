using System.Net;
using System.Net.Sockets;
using Valkeyrie.Testing.Servers.Fixtures;
using Valkeyrie.ZooKeeper.Protocol;

namespace Valkeyrie.ZooKeeper.Tests;

/// <summary>The protocol client on its own, against the shared real server.</summary>
[Collection(ZooKeeperCollection.Name)]
public sealed class ZkClientTests(ZooKeeperServerFixture fixture) : IAsyncLifetime
{
    private readonly string _root = $"/client-{Guid.NewGuid():N}";
    private ZkClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = Connect();
        await _client.CreateAsync(_root, ReadOnlyMemory<byte>.Empty, ZkAcl.Open, ZkCreateMode.Persistent, 0, default);
    }

    public async Task DisposeAsync() => await _client.DisposeAsync();

    [Fact]
    public async Task Connect_negotiates_a_session()
    {
        await _client.WaitConnectedAsync(default);
        Assert.NotEqual(0, _client.SessionId);
        Assert.True(_client.SessionTimeout > TimeSpan.Zero);
        Assert.True(_client.IsConnected);
    }

    [Fact]
    public async Task Create_get_set_delete_honour_versions()
    {
        var path = _root + "/node";
        var (created, stat) = await _client.CreateAsync(path, new byte[] { 1, 2 }, ZkAcl.Open, ZkCreateMode.Persistent, 0, default);
        Assert.Equal(path, created);
        Assert.Equal(0, stat.Version);

        var read = await _client.GetDataAsync(path, default);
        Assert.Equal(new byte[] { 1, 2 }, read!.Value.Data);
        Assert.Equal(stat.Mzxid, read.Value.Stat.Mzxid);

        var updated = await _client.SetDataAsync(path, new byte[] { 3 }, 0, default);
        Assert.Equal(1, updated.Version);
        Assert.True(updated.Mzxid > stat.Mzxid);
        var stale = await Assert.ThrowsAsync<ZkException>(() => _client.SetDataAsync(path, new byte[] { 4 }, 0, default));
        Assert.Equal(ZkErrorCode.BadVersion, stale.Code);

        var exists = await Assert.ThrowsAsync<ZkException>(() => _client.CreateAsync(path, ReadOnlyMemory<byte>.Empty, ZkAcl.Open, ZkCreateMode.Persistent, 0, default));
        Assert.Equal(ZkErrorCode.NodeExists, exists.Code);
        Assert.Equal(ZkErrorCode.BadVersion, (await Assert.ThrowsAsync<ZkException>(() => _client.DeleteAsync(path, 0, default))).Code);
        await _client.DeleteAsync(path, 1, default);
        Assert.Null(await _client.GetDataAsync(path, default));
        Assert.Null(await _client.ExistsAsync(path, default));
    }

    [Fact]
    public async Task Sequential_nodes_and_children_are_listed()
    {
        var (first, _) = await _client.CreateAsync(_root + "/q-", ReadOnlyMemory<byte>.Empty, ZkAcl.Open, ZkCreateMode.PersistentSequential, 0, default);
        var (second, _) = await _client.CreateAsync(_root + "/q-", ReadOnlyMemory<byte>.Empty, ZkAcl.Open, ZkCreateMode.PersistentSequential, 0, default);
        Assert.True(string.CompareOrdinal(first, second) < 0);
        await _client.CreateAsync(_root + "/plain", ReadOnlyMemory<byte>.Empty, ZkAcl.Open, ZkCreateMode.Persistent, 0, default);

        var listing = await _client.GetChildrenAsync(_root, default);
        Assert.Equal(
            new[] { "plain", first[(_root.Length + 1)..], second[(_root.Length + 1)..] }.Order(StringComparer.Ordinal),
            listing!.Value.Children.Order(StringComparer.Ordinal));
        Assert.Equal(3, listing.Value.Stat.NumChildren);
        Assert.Null(await _client.GetChildrenAsync(_root + "/missing", default));
    }

    [Fact]
    public async Task Multi_applies_all_or_nothing_and_names_the_failed_operation()
    {
        var (_, stat) = await _client.CreateAsync(_root + "/m", new byte[] { 1 }, ZkAcl.Open, ZkCreateMode.Persistent, 0, default);
        var result = await _client.MultiAsync(
            [new ZkOp.Check(_root + "/m", stat.Version), new ZkOp.SetData(_root + "/m", new byte[] { 2 }, stat.Version), new ZkOp.Create(_root + "/m2", new byte[] { 9 }, ZkAcl.Open, ZkCreateMode.Persistent)],
            default);
        Assert.Equal(3, result.Results.Count);
        Assert.Equal(result.Zxid, result.Results[1].Stat!.Mzxid);

        var failed = await Assert.ThrowsAsync<ZkException>(() => _client.MultiAsync(
            [new ZkOp.Create(_root + "/m3", ReadOnlyMemory<byte>.Empty, ZkAcl.Open, ZkCreateMode.Persistent), new ZkOp.Check(_root + "/m", stat.Version)],
            default));
        Assert.Equal(ZkErrorCode.BadVersion, failed.Code);
        Assert.Equal(1, failed.FailedOperation);
        Assert.Null(await _client.ExistsAsync(_root + "/m3", default));
    }

    [Fact]
    public async Task Persistent_recursive_watch_reports_deep_changes_in_order()
    {
        await _client.AddWatchAsync(_root + "/w", ZkWatchMode.PersistentRecursive, default);
        await _client.CreateAsync(_root + "/w", ReadOnlyMemory<byte>.Empty, ZkAcl.Open, ZkCreateMode.Persistent, 0, default);
        await _client.CreateAsync(_root + "/w/deep", ReadOnlyMemory<byte>.Empty, ZkAcl.Open, ZkCreateMode.Persistent, 0, default);
        await _client.SetDataAsync(_root + "/w/deep", new byte[] { 1 }, -1, default);
        await _client.DeleteAsync(_root + "/w/deep", -1, default);

        var expected = new[]
        {
            (ZkEventType.NodeCreated, _root + "/w"),
            (ZkEventType.NodeCreated, _root + "/w/deep"),
            (ZkEventType.NodeDataChanged, _root + "/w/deep"),
            (ZkEventType.NodeDeleted, _root + "/w/deep"),
        };
        var seen = new List<(ZkEventType, string)>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (seen.Count < expected.Length)
        {
            var notification = await _client.Notifications.ReadAsync(timeout.Token);
            if (notification.Kind == ZkNotificationKind.NodeEvent)
            {
                seen.Add((notification.EventType, notification.Path));
            }
        }

        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task Pings_keep_a_short_session_alive_while_idle()
    {
        await using var client = Connect(sessionTimeout: TimeSpan.FromSeconds(2));
        var (path, _) = await client.CreateAsync(_root + "/alive", ReadOnlyMemory<byte>.Empty, ZkAcl.Open, ZkCreateMode.Ephemeral, 0, default);
        var session = client.SessionId;

        await Task.Delay(client.SessionTimeout * 3);

        Assert.Equal(session, client.SessionId);
        var stat = await _client.ExistsAsync(path, default);
        Assert.NotNull(stat);
        Assert.Equal(session, stat.EphemeralOwner);
    }

    [Fact]
    public async Task A_dropped_connection_is_reestablished_with_the_same_session()
    {
        await using var client = Connect();
        await client.CreateAsync(_root + "/kept", ReadOnlyMemory<byte>.Empty, ZkAcl.Open, ZkCreateMode.Ephemeral, 0, default);
        var session = client.SessionId;

        client.DropConnection();
        var stat = await client.ExistsAsync(_root + "/kept", default);

        Assert.NotNull(stat);
        Assert.Equal(session, client.SessionId);
        Assert.Equal(session, stat.EphemeralOwner);
    }

    [Fact]
    public async Task Chroot_paths_are_relative_in_requests_and_notifications()
    {
        await using var chrooted = Connect(chroot: _root);
        await chrooted.AddWatchAsync("/", ZkWatchMode.PersistentRecursive, default);
        var (created, _) = await chrooted.CreateAsync("/inside", new byte[] { 7 }, ZkAcl.Open, ZkCreateMode.Persistent, 0, default);
        Assert.Equal("/inside", created);
        Assert.Equal(new byte[] { 7 }, (await _client.GetDataAsync(_root + "/inside", default))!.Value.Data);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        ZkNotification notification;
        do
        {
            notification = await chrooted.Notifications.ReadAsync(timeout.Token);
        }
        while (notification.Kind != ZkNotificationKind.NodeEvent);
        Assert.Equal("/inside", notification.Path);
    }

    [Fact]
    public async Task Calls_are_cancellable()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.GetDataAsync(_root, cancelled.Token));
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_with_connection_loss()
    {
        using var blackHole = new TcpListener(IPAddress.Loopback, 0);
        blackHole.Start();
        var port = ((IPEndPoint)blackHole.LocalEndpoint).Port;
        await using var client = new ZkClient(new ZkClientOptions
        {
            Endpoints = [("127.0.0.1", port)],
            RequestTimeout = TimeSpan.FromSeconds(1),
            ConnectTimeout = TimeSpan.FromMilliseconds(500),
        });

        var error = await Assert.ThrowsAsync<ZkException>(() => client.GetDataAsync("/x", default).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(ZkErrorCode.ConnectionLoss, error.Code);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task A_dead_endpoint_is_skipped_for_the_next_one()
    {
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var deadPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await using var client = new ZkClient(new ZkClientOptions
        {
            Endpoints = [("127.0.0.1", deadPort), ("127.0.0.1", fixture.Server.Port)],
        });

        Assert.NotNull(await client.ExistsAsync(_root, default));
    }

    private ZkClient Connect(TimeSpan? sessionTimeout = null, string chroot = "") => new(new ZkClientOptions
    {
        Endpoints = [("127.0.0.1", fixture.Server.Port)],
        SessionTimeout = sessionTimeout ?? TimeSpan.FromSeconds(5),
        Chroot = chroot,
    });
}
