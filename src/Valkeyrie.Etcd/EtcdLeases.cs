using Etcdserverpb;
using Grpc.Core;

namespace Valkeyrie.Etcd;

/// <summary>Lease calls: grant (TTL rounded up to whole seconds), one keep-alive round trip, and revoke.</summary>
internal static class EtcdLeases
{
    /// <summary>A granted lease; <paramref name="Ttl"/> is what the server granted (it raises TTLs below its minimum).</summary>
    public sealed record Granted(long Id, TimeSpan Ttl);

    /// <summary>Whole seconds, at least one: etcd leases have second granularity and sub-second TTLs are rounded up.</summary>
    public static long Seconds(TimeSpan ttl) => Math.Max(1, (long)Math.Ceiling(ttl.TotalSeconds));

    public static async Task<Granted> GrantAsync(this EtcdConnection connection, string? key, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var response = await connection.CallAsync(
            key,
            o => connection.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = Seconds(ttl) }, o).ResponseAsync,
            cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(response.Error))
        {
            throw new KvException("etcd", connection.Endpoint, key, $"the server refused a lease: {response.Error}");
        }

        return new Granted(response.ID, TimeSpan.FromSeconds(response.TTL));
    }

    /// <summary>Renews a lease once; <see langword="false"/> when it no longer exists (expired or revoked).</summary>
    public static Task<bool> KeepAliveOnceAsync(this EtcdConnection connection, string? key, long leaseId, CancellationToken cancellationToken) =>
        connection.CallAsync(
            key,
            async options =>
            {
                using var call = connection.Lease.LeaseKeepAlive(options);
                await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = leaseId }, cancellationToken).ConfigureAwait(false);
                await call.RequestStream.CompleteAsync().ConfigureAwait(false);
                if (!await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
                {
                    throw new RpcException(new Status(StatusCode.Unavailable, "the lease keep-alive stream closed without an answer"));
                }

                return call.ResponseStream.Current.TTL > 0;
            },
            cancellationToken);

    /// <summary>Revokes a lease, deleting every key attached to it at once; a lease that is already gone is fine.</summary>
    public static async Task RevokeAsync(this EtcdConnection connection, string? key, long leaseId, CancellationToken cancellationToken)
    {
        try
        {
            await connection.CallAsync(
                key,
                o => connection.Lease.LeaseRevokeAsync(new LeaseRevokeRequest { ID = leaseId }, o).ResponseAsync,
                cancellationToken).ConfigureAwait(false);
        }
        catch (KvException e) when (e.InnerException is RpcException { StatusCode: StatusCode.NotFound })
        {
            // Expired or revoked already: its keys are gone, which is what revoking wanted.
        }
    }

    /// <summary>Revokes a lease without letting a failure escape: the lease then expires within its TTL anyway.</summary>
    public static async Task TryRevokeAsync(this EtcdConnection connection, string? key, long leaseId)
    {
        try
        {
            await connection.RevokeAsync(key, leaseId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (KvException)
        {
            // Unreachable: the lease expires within its TTL, which frees what it held.
        }
        catch (ObjectDisposedException)
        {
            // The store is closing: same as unreachable.
        }
    }
}
