using System.Globalization;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Valkeyrie.Redis;

/// <summary>Maps StackExchange.Redis failures to the <see cref="KvException"/> family, naming backend, endpoint and key.</summary>
internal static class RedisErrors
{
    public const string Backend = "redis";

    private const string ForeignPrefix = "VKFOREIGN ";

    /// <summary>The Valkeyrie exception for <paramref name="exception"/>, or <see langword="null"/> when it must travel unchanged.</summary>
    public static KvException? Map(Exception exception, string endpoint, string? key) => exception switch
    {
        KvException => null,
        RedisConnectionException e when IsTlsFailure(e) => Tls(endpoint, key, e),
        RedisConnectionException { FailureType: ConnectionFailureType.AuthenticationFailure } e => Authentication(endpoint, key, e),
        RedisConnectionException e when IsAuthentication(e.InnerException?.Message) => Authentication(endpoint, key, e),
        RedisServerException e when IsAuthentication(e.Message) => Authentication(endpoint, key, e),
        RedisServerException e when e.Message.Contains(ForeignPrefix, StringComparison.Ordinal) => Foreign(endpoint, e),
        // A replica rejects WAIT; it also rejects every write (READONLY), so the script before it changed nothing.
        RedisServerException e when e.Message.Contains("WAIT cannot be used with replica", StringComparison.Ordinal) => new KvUnavailableException(
            Backend, endpoint, key, "the node that answered is a replica, not the primary (a failover is in progress); nothing was written, retry.", e),
        RedisServerException e when IsTransient(e.Message) => new KvUnavailableException(
            Backend, endpoint, key, $"the server is not ready ({FirstWord(e.Message)}); retry later.", e),
        RedisServerException e when e.Message.StartsWith("OOM", StringComparison.Ordinal) => new KvLimitExceededException(
            Backend, endpoint, key, "the server is out of memory (maxmemory); nothing was written. Free memory or raise maxmemory.", e),
        RedisServerException e => new KvException(Backend, endpoint, key, $"the server rejected the call: {e.Message}", e),
        RedisTimeoutException e => Unavailable(endpoint, key, "did not answer in time", e),
        RedisConnectionException e => Unavailable(endpoint, key, "cannot be reached", e),
        TimeoutException e => Unavailable(endpoint, key, "did not answer in time", e),
        SocketException or IOException => Unavailable(endpoint, key, "cannot be reached", exception),
        _ => null,
    };

    /// <summary>
    /// The exception for a failed write: <see cref="KvOutcomeUnknownException"/> when the write was sent and its answer
    /// lost (connection dropped, no answer in time), else what <see cref="Map"/> gives (nothing was sent or applied).
    /// </summary>
    public static KvException? MapWrite(Exception exception, string endpoint, string? key) => exception switch
    {
        KvException => null,
        RedisConnectionException e when IsAuthentication(e.InnerException?.Message) => Map(exception, endpoint, key),
        RedisConnectionException { FailureType: not (ConnectionFailureType.UnableToResolvePhysicalConnection or ConnectionFailureType.UnableToConnect or ConnectionFailureType.AuthenticationFailure) } e =>
            OutcomeUnknown(endpoint, key, "the connection was lost after the write was sent", e),
        RedisTimeoutException or TimeoutException => OutcomeUnknown(endpoint, key, "the server did not answer in time after the write was sent", exception),
        SocketException or IOException => OutcomeUnknown(endpoint, key, "the connection was lost after the write was sent", exception),
        _ => Map(exception, endpoint, key),
    };

    /// <summary>The error for a write the primary applied but too few replicas confirmed (<c>WAIT</c>).</summary>
    public static KvOutcomeUnknownException NotReplicated(string endpoint, string? key, long confirmed, int wanted, TimeSpan timeout) =>
        new(Backend, endpoint, key, string.Create(CultureInfo.InvariantCulture,
            $"the primary applied the write but only {confirmed} of {wanted} replicas confirmed it within {timeout.TotalMilliseconds:0} ms (waitReplicas), so a failover may lose it"));

    private static KvOutcomeUnknownException OutcomeUnknown(string endpoint, string? key, string what, Exception inner) =>
        new(Backend, endpoint, key, what, inner);

    /// <summary>The unavailable error used while the server cannot be reached.</summary>
    public static KvUnavailableException Unavailable(string endpoint, string? key, string what, Exception? inner) =>
        new(Backend, endpoint, key, $"the server {what}; check that redis-server is running and reachable, then retry.", inner);

    private static KvAuthenticationException Authentication(string endpoint, string? key, Exception inner) =>
        new(Backend, endpoint, key, "the server rejected the credentials or the ACL user lacks permissions; check user and password (or the ACL rules: Valkeyrie needs +@read +@write +@keyspace +@scripting +@pubsub on its keys and the _valkeyrie/changes channel).", inner);

    private static KvTlsException Tls(string endpoint, string? key, Exception inner) =>
        new(Backend, endpoint, key, "the TLS handshake failed: the server's certificate is not trusted by 'ca', has expired or does not match the host name ('sni'), or the server refused the client certificate ('cert'/'key'). Nothing was sent in plaintext; see docs/security.md.", inner);

    // A failed handshake shows up as an AuthenticationException somewhere in the chain (the message, when the client keeps
    // only the text), or as the connection's own failure type.
    private static bool IsTlsFailure(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is System.Security.Authentication.AuthenticationException
                || e.Message.Contains("The remote certificate", StringComparison.Ordinal)
                || e.Message.Contains("SSL", StringComparison.Ordinal) && e.Message.Contains("handshake", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static KvException Foreign(string endpoint, RedisServerException inner)
    {
        var message = inner.Message;
        var start = message.IndexOf(ForeignPrefix, StringComparison.Ordinal) + ForeignPrefix.Length;
        var key = message[start..].Trim();
        return new KvException(
            Backend,
            endpoint,
            key,
            "the Redis key holds data not written by Valkeyrie (for example a plain SET), not a hash with 'value' and 'index' fields. " +
            "Write it with Valkeyrie or with 'HSET <key> value <text>' (docs/operators.md), or delete it; lists and watches skip it meanwhile.",
            inner);
    }

    private static bool IsAuthentication(string? message) => message is not null && (
        message.StartsWith("NOAUTH", StringComparison.Ordinal)
        || message.StartsWith("WRONGPASS", StringComparison.Ordinal)
        || message.StartsWith("NOPERM", StringComparison.Ordinal)
        || message.Contains("AuthenticationFailure", StringComparison.Ordinal));

    private static bool IsTransient(string message) =>
        message.StartsWith("LOADING", StringComparison.Ordinal)
        || message.StartsWith("BUSY", StringComparison.Ordinal)
        || message.StartsWith("READONLY", StringComparison.Ordinal)
        || message.StartsWith("MASTERDOWN", StringComparison.Ordinal)
        || message.StartsWith("TRYAGAIN", StringComparison.Ordinal)
        || message.StartsWith("NOREPLICAS", StringComparison.Ordinal);

    private static string FirstWord(string message)
    {
        var space = message.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 ? message[..space] : message;
    }
}
