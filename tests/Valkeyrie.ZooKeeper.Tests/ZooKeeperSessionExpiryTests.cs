using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Valkeyrie.Testing.Conformance;
using Valkeyrie.Testing.Servers.Fixtures;
using Valkeyrie.ZooKeeper.Protocol;

namespace Valkeyrie.ZooKeeper.Tests;

/// <summary>
/// A session that expires under a live store: the session is closed from a second connection that presents the same
/// session id and password, as the server would expire it. The store must start a new session, give watchers a
/// fresh snapshot, report held locks lost and write its keep-alive keys again.
/// </summary>
[Collection(ZooKeeperCollection.Name)]
public sealed class ZooKeeperSessionExpiryTests(ZooKeeperServerFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _root = $"expiry/{Guid.NewGuid():N}";

    [Fact]
    public async Task Expired_session_resnapshots_watches_loses_locks_and_recreates_keep_alive_keys()
    {
        await using var store = (ZooKeeperKvStore)ZooKeeperTarget.Connect(fixture.Server.ConnectionString);
        await using var other = ZooKeeperTarget.Connect(fixture.Server.ConnectionString);
        await store.PutAsync($"{_root}/tree/before", V("1"));
        await store.PutAsync($"{_root}/alive", V("beating"), new KvWriteOptions { Ttl = TimeSpan.FromSeconds(2), KeepAlive = true });
        var lease = await store.CreateLock($"{_root}/lock", new KvLockOptions { Ttl = TimeSpan.FromSeconds(3) }).AcquireAsync().WaitAsync(Patience);
        var lost = new TaskCompletionSource();
        using var registration = lease.Lost.Register(() => lost.TrySetResult());
        await using var watch = new StreamReader<KvTreeChange>(ct => store.WatchTreeAsync($"{_root}/tree", cancellationToken: ct));
        Assert.True((await watch.NextAsync(Patience, "the first snapshot")).IsSnapshot);
        var oldSession = store.Client.SessionId;

        // The store's reconnection races the closing connection; try until the server really closed the session.
        for (var attempt = 1; store.Client.SessionId == oldSession; attempt++)
        {
            await ExpireSessionAsync(store.Client);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
            while (store.Client.SessionId == oldSession && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            Assert.True(attempt < 10, "the session could not be closed from a second connection");
        }

        await lost.Task.WaitAsync(Patience);
        await watch.NextMatchingAsync(c => c.IsSnapshot, Patience, "a fresh snapshot after the session expired");
        Assert.NotEqual(oldSession, store.Client.SessionId);
        await EventuallyAsync(async () => (await other.GetAsync($"{_root}/alive"))?.ValueAsString == "beating", "the keep-alive key to be written again");
        var stat = await store.Client.ExistsAsync($"/{_root}/alive", default);
        Assert.Equal(store.Client.SessionId, stat!.EphemeralOwner);

        await other.PutAsync($"{_root}/tree/after", V("2"));
        await watch.NextMatchingAsync(c => c.Events.Any(e => e.Key == $"{_root}/tree/after"), Patience, "a write after the new session");
        await lease.DisposeAsync();
        var relocked = await other.CreateLock($"{_root}/lock").AcquireAsync().WaitAsync(Patience);
        await relocked.DisposeAsync();
        await other.DeleteTreeAsync(_root);
    }

    // Attaches to the session from a second connection and closes it at once: the connect request and the close
    // request are written together, so the store's own reconnection cannot take the session back in between.
    private async Task ExpireSessionAsync(ZkClient client)
    {
        var (sessionId, password) = client.SessionCredentials;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", fixture.Server.Port);
        var stream = tcp.GetStream();
        var connect = new JuteWriter().Int(0).Long(client.LastZxid).Int((int)client.SessionTimeout.TotalMilliseconds).Long(sessionId).Buffer(password).Bool(false);
        var close = new JuteWriter().Int(1).Int((int)ZkOpCode.CloseSession);
        await stream.WriteAsync(connect.ToFrame().Concat(close.ToFrame()).ToArray());
        try
        {
            // Wait for the server's answers (or for it to drop this connection when the store takes the session back).
            await ReadFrameAsync(stream);
            await ReadFrameAsync(stream);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<byte[]> ReadFrameAsync(NetworkStream stream)
    {
        var size = new byte[4];
        await stream.ReadExactlyAsync(size);
        var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        await stream.ReadExactlyAsync(frame);
        return frame;
    }

    private static byte[] V(string text) => Encoding.UTF8.GetBytes(text);

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(100);
        }
    }
}
