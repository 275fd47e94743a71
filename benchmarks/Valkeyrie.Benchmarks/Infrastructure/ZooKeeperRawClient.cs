using Valkeyrie.ZooKeeper.Protocol;

namespace Valkeyrie.Benchmarks.Infrastructure;

/// <summary>
/// The raw ZooKeeper client of the benchmarks. No third-party ZooKeeper client is available here, so the baseline is
/// the binary-protocol client inside src/Valkeyrie.ZooKeeper (<see cref="ZkClient"/>, visible to this assembly
/// through InternalsVisibleTo), called directly: plain getData/setData/getChildren/addWatch requests, without the
/// store's key rules, change log or multis.
/// </summary>
internal static class ZooKeeperRawClient
{
    /// <summary>A connected client for a <c>zookeeper://host:port</c> connection string.</summary>
    /// <param name="connectionString">The server's Valkeyrie connection string (no chroot).</param>
    public static async Task<ZkClient> ConnectAsync(string connectionString)
    {
        var endpoint = new Uri(connectionString);
        var client = new ZkClient(new ZkClientOptions { Endpoints = [(endpoint.Host, endpoint.Port)] });
        await client.WaitConnectedAsync(CancellationToken.None);
        return client;
    }

    /// <summary>Creates the persistent node at <paramref name="path"/> or replaces its data; returns its stat.</summary>
    public static async Task<ZkStat> UpsertAsync(this ZkClient client, string path, byte[] data)
    {
        if (await client.ExistsAsync(path, CancellationToken.None) is null)
        {
            return (await client.CreateAsync(path, data, ZkAcl.Open, ZkCreateMode.Persistent, 0, CancellationToken.None)).Stat;
        }

        return await client.SetDataAsync(path, data, -1, CancellationToken.None);
    }
}
