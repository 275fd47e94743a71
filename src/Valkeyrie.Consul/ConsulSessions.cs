using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Valkeyrie.Consul;

/// <summary>
/// Consul sessions, which carry every TTL: a key locked by a session with behavior <c>delete</c> is deleted when the
/// session is invalidated. Consul invalidates a session twice its TTL after the last renewal, so a lease of
/// <c>T</c> uses a session TTL of <c>T/2</c> (never below the server's <c>session_ttl_min</c>); lock-delay is 0 so a
/// released or expired lock is free at once.
/// </summary>
internal sealed class ConsulSessions(ConsulTransport transport, ConsulKvStoreOptions options)
{
    /// <summary>The lease a session gives for a requested TTL: how long after the last renewal Consul deletes its keys.</summary>
    /// <param name="ttl">The requested TTL.</param>
    /// <param name="key">The key, for the error message.</param>
    /// <exception cref="KvLimitExceededException">The TTL exceeds Consul's 24-hour maximum.</exception>
    public TimeSpan EffectiveTtl(TimeSpan ttl, string? key) => SessionTtl(ttl, key) * 2;

    /// <summary>Creates a session that deletes the keys it holds when it expires or is destroyed.</summary>
    /// <param name="ttl">The requested TTL (rounded as <see cref="EffectiveTtl"/> says).</param>
    /// <param name="key">The key it is for, for names and messages.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<string> CreateAsync(TimeSpan ttl, string key, CancellationToken cancellationToken)
    {
        var request = new ConsulSessionRequest
        {
            Name = "valkeyrie",
            Ttl = string.Create(CultureInfo.InvariantCulture, $"{(long)SessionTtl(ttl, key).TotalSeconds}s"),
            Behavior = "delete",
            LockDelay = "0s",
        };
        var body = JsonSerializer.SerializeToUtf8Bytes(request, ConsulJsonContext.Default.ConsulSessionRequest);
        var response = await transport.SendAsync(HttpMethod.Put, "v1/session/create", body, key, options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        var created = response.IsSuccess ? JsonSerializer.Deserialize(response.Body, ConsulJsonContext.Default.ConsulSessionResponse) : null;
        return created?.Id is { Length: > 0 } id
            ? id
            : throw new KvException(ConsulTransport.Backend, response.Endpoint, key, $"the agent did not create a session (status {(int)response.Status}).");
    }

    /// <summary>Renews a session; false when it no longer exists (expired or destroyed).</summary>
    /// <param name="id">The session.</param>
    /// <param name="key">The key it is for, for messages.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<bool> RenewAsync(string id, string key, CancellationToken cancellationToken)
    {
        var response = await transport.SendAsync(HttpMethod.Put, $"v1/session/renew/{id}", null, key, options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        return response.Status != HttpStatusCode.NotFound;
    }

    /// <summary>Destroys a session, which deletes every key it still holds.</summary>
    /// <param name="id">The session.</param>
    /// <param name="key">The key it is for, for messages.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task DestroyAsync(string id, string key, CancellationToken cancellationToken) =>
        transport.SendAsync(HttpMethod.Put, $"v1/session/destroy/{id}", null, key, options.RequestTimeout, cancellationToken);

    /// <summary>Destroys a session as cleanup, ignoring failures: an abandoned session expires within its TTL anyway.</summary>
    /// <param name="id">The session.</param>
    /// <param name="key">The key it is for.</param>
    public async Task DestroyQuietlyAsync(string id, string key)
    {
        try
        {
            await DestroyAsync(id, key, CancellationToken.None).ConfigureAwait(false);
        }
        catch (KvException)
        {
            // Unreachable or rejected: the session was not renewed, so Consul invalidates it within its TTL.
        }
    }

    private TimeSpan SessionTtl(TimeSpan ttl, string? key)
    {
        if (ttl > ConsulKvStoreOptions.MaximumSessionTtl * 2)
        {
            throw new KvLimitExceededException(
                ConsulTransport.Backend, transport.CurrentEndpoint, key,
                $"a TTL of {ttl} exceeds what Consul sessions allow (48 h: a session TTL of at most 24 h, invalidated at twice that); write the key without a TTL instead. Nothing was written.");
        }

        var seconds = Math.Ceiling(ttl.TotalSeconds / 2);
        var session = TimeSpan.FromSeconds(seconds);
        return session < options.MinimumSessionTtl ? TimeSpan.FromSeconds(Math.Ceiling(options.MinimumSessionTtl.TotalSeconds)) : session;
    }
}
