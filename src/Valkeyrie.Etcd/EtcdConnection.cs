using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Etcdserverpb;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Valkeyrie.Etcd;

/// <summary>
/// One gRPC channel to the cluster (pick-first over every endpoint, so calls fail over), the generated etcd
/// clients, the auth token, per-call deadlines and the mapping of failures to the <see cref="KvException"/> family.
/// </summary>
internal sealed class EtcdConnection : IDisposable
{
    private const string BackendName = "etcd";

    private readonly EtcdKvStoreOptions _options;
    private readonly ServiceProvider _services;
    private readonly GrpcChannel _channel;
    private readonly SemaphoreSlim _authGate = new(1, 1);
    private readonly object _tokenLock = new();
    private string? _token;
    private bool _authenticated;

    public EtcdConnection(EtcdKvStoreOptions options)
    {
        _options = options;
        var endpoints = options.Endpoints.Count > 0 ? options.Endpoints.ToList() : [new KvEndpoint("127.0.0.1", EtcdKvStoreOptions.DefaultPort)];
        Endpoint = string.Join(",", endpoints.Select(e => new KvEndpoint(e.Host, e.PortOr(EtcdKvStoreOptions.DefaultPort))));
        var addresses = endpoints.Select(e => new BalancerAddress(e.Host, e.PortOr(EtcdKvStoreOptions.DefaultPort))).ToArray();

        var services = new ServiceCollection();
        services.AddSingleton<ResolverFactory>(new StaticResolverFactory(_ => addresses));
        _services = services.BuildServiceProvider();
        _channel = GrpcChannel.ForAddress("static:///etcd", new GrpcChannelOptions
        {
            Credentials = options.UseTls ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure,
            HttpHandler = CreateHandler(options),
            ServiceProvider = _services,
            ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new PickFirstConfig() } },
            MaxReceiveMessageSize = null,
            ThrowOperationCanceledOnCancellation = true,

            // After a member restarts, reconnect within about a second rather than gRPC's default of up to two minutes.
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(200),
            MaxReconnectBackoff = TimeSpan.FromSeconds(1),
        });

        Kv = new KV.KVClient(_channel);
        Watch = new Watch.WatchClient(_channel);
        Lease = new Lease.LeaseClient(_channel);
        Lock = new V3Lockpb.Lock.LockClient(_channel);
        Auth = new Auth.AuthClient(_channel);
    }

    /// <summary>The endpoints for messages: <c>host:port,host:port</c>, no credentials.</summary>
    public string Endpoint { get; }

    public KV.KVClient Kv { get; }

    public Watch.WatchClient Watch { get; }

    public Lease.LeaseClient Lease { get; }

    public V3Lockpb.Lock.LockClient Lock { get; }

    public Auth.AuthClient Auth { get; }

    public TimeSpan OperationTimeout => _options.OperationTimeout;

    public int MaxTransactionOperations => _options.MaxTransactionOperations;

    /// <summary>
    /// Runs a call with the auth token and the operation deadline, re-authenticating once when the token expired
    /// (etcd's simple tokens do not survive a server restart), and maps failures.
    /// </summary>
    public async Task<T> CallAsync<T>(string? key, Func<CallOptions, Task<T>> call, CancellationToken cancellationToken, bool withDeadline = true)
    {
        for (var attempt = 0; ; attempt++)
        {
            var headers = await HeadersAsync(key, cancellationToken).ConfigureAwait(false);
            DateTime? deadline = withDeadline ? DateTime.UtcNow + _options.OperationTimeout : null;
            try
            {
                return await call(new CallOptions(headers, deadline, cancellationToken)).ConfigureAwait(false);
            }
            catch (RpcException e) when (attempt == 0 && IsInvalidToken(e.Status))
            {
                InvalidateToken(headers);
            }
            catch (Exception e) when (e is not KvException)
            {
                throw Map(e, key, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Runs a write like <see cref="CallAsync"/>, but a failure after the request reached the cluster (deadline passed,
    /// connection reset mid-call, leader lost mid-commit) is <see cref="KvOutcomeUnknownException"/>: it may have been
    /// applied. Failures before anything was sent (no connection, no leader) stay <see cref="KvUnavailableException"/>.
    /// </summary>
    public async Task<T> CallWriteAsync<T>(string? key, Func<CallOptions, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await CallAsync(key, call, cancellationToken).ConfigureAwait(false);
        }
        catch (KvUnavailableException e) when (e.InnerException is RpcException rpc && MayHaveBeenApplied(rpc.Status))
        {
            throw new KvOutcomeUnknownException(BackendName, Endpoint, key, $"the cluster did not confirm the write ({rpc.StatusCode}: {rpc.Status.Detail})", rpc);
        }
    }

    // gRPC says Unavailable both when it never connected and when the connection broke mid-call; etcd says "no leader"
    // before proposing. Anything else after sending (deadline, "leader changed", "request timed out") may have committed.
    private static bool MayHaveBeenApplied(Status status) =>
        status.StatusCode is StatusCode.DeadlineExceeded or StatusCode.Unknown or StatusCode.Internal or StatusCode.Aborted or StatusCode.Cancelled
        || (status.StatusCode == StatusCode.Unavailable && !NeverSent(status.Detail));

    private static bool NeverSent(string detail) =>
        detail.Contains("no leader", StringComparison.OrdinalIgnoreCase)
        || detail.Contains("Error connecting", StringComparison.OrdinalIgnoreCase)
        || detail.Contains("connection refused", StringComparison.OrdinalIgnoreCase)
        || detail.Contains("failed to connect", StringComparison.OrdinalIgnoreCase)
        || detail.Contains("No connection could be made", StringComparison.OrdinalIgnoreCase)
        || detail.Contains("not enough started members", StringComparison.OrdinalIgnoreCase);

    /// <summary>Options for a long-lived stream: the auth token and the caller's token, no deadline.</summary>
    public async Task<CallOptions> StreamOptionsAsync(string? key, CancellationToken cancellationToken) =>
        new(await HeadersAsync(key, cancellationToken).ConfigureAwait(false), null, cancellationToken);

    /// <summary>Forgets the token a stream used, so the next call authenticates again.</summary>
    public void InvalidateToken(Metadata? headers)
    {
        var used = headers?.GetValue("token");
        lock (_tokenLock)
        {
            if (used is null || used == _token)
            {
                _authenticated = false;
                _token = null;
            }
        }
    }

    /// <summary>Maps a client failure to the exception family; the caller's cancellation stays a cancellation.</summary>
    public Exception Map(Exception exception, string? key, CancellationToken cancellationToken)
    {
        if (exception is KvException or ObjectDisposedException or ArgumentException)
        {
            return exception;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return exception as OperationCanceledException ?? new OperationCanceledException(cancellationToken);
        }

        if (exception is not RpcException rpc)
        {
            return exception is HttpRequestException or IOException or OperationCanceledException
                ? Unavailable(key, $"the call failed ({exception.Message})", exception)
                : new KvException(BackendName, Endpoint, key, $"the call failed: {exception.Message}", exception);
        }

        var detail = rpc.Status.Detail;
        if (IsInvalidToken(rpc.Status))
        {
            InvalidateToken(null);
            return Unavailable(key, "the authentication token expired (the server restarted); the next call authenticates again", rpc);
        }

        return rpc.StatusCode switch
        {
            StatusCode.Unauthenticated or StatusCode.PermissionDenied => new KvAuthenticationException(BackendName, Endpoint, key,
                $"the server refused the call ({detail}); check the user name, password and the user's role permissions on this key.", rpc),
            StatusCode.InvalidArgument when detail.Contains("user name is empty", StringComparison.Ordinal) => new KvAuthenticationException(BackendName, Endpoint, key,
                "the cluster has authentication enabled; put the credentials in the connection string (etcd://user:password@host:2379).", rpc),
            StatusCode.InvalidArgument when detail.Contains("authentication failed", StringComparison.Ordinal) => new KvAuthenticationException(BackendName, Endpoint, key,
                "authentication failed: invalid user name or password; check the credentials in the connection string.", rpc),
            StatusCode.InvalidArgument when detail.Contains("too large", StringComparison.Ordinal) => new KvLimitExceededException(BackendName, Endpoint, key,
                "the request is larger than the server's --max-request-bytes (1.5 MiB by default); nothing was written. Store smaller values.", rpc),
            StatusCode.InvalidArgument when detail.Contains("too many operations", StringComparison.Ordinal) => new KvLimitExceededException(BackendName, Endpoint, key,
                "the transaction has more operations than the server's --max-txn-ops; nothing was written. Split it or raise the limit (and maxTxnOps).", rpc),
            StatusCode.ResourceExhausted => new KvLimitExceededException(BackendName, Endpoint, key,
                $"the message exceeds a size limit ({detail}); requests are limited by the server's --max-request-bytes (1.5 MiB by default). Nothing was written; store smaller values.", rpc),
            StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Aborted or StatusCode.Cancelled or StatusCode.Internal or StatusCode.Unknown =>
                Unavailable(key, $"the cluster did not answer ({rpc.StatusCode}: {detail})", rpc),
            _ => new KvException(BackendName, Endpoint, key, $"the call failed ({rpc.StatusCode}: {detail}).", rpc),
        };
    }

    public KvUnavailableException Unavailable(string? key, string what, Exception? inner = null) =>
        new(BackendName, Endpoint, key, $"{what}; check that the etcd cluster is running and reachable. The call can be retried.", inner);

    public void Dispose()
    {
        _channel.Dispose();
        _services.Dispose();
        _authGate.Dispose();
    }

    private static bool IsInvalidToken(Status status) =>
        status.StatusCode == StatusCode.Unauthenticated && status.Detail.Contains("invalid auth token", StringComparison.Ordinal);

    private async Task<Metadata?> HeadersAsync(string? key, CancellationToken cancellationToken)
    {
        if (_options.UserName is null)
        {
            return null;
        }

        await _authGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string? token;
            lock (_tokenLock)
            {
                token = _authenticated ? _token : null;
                if (_authenticated)
                {
                    return token is null ? null : new Metadata { { "token", token } };
                }
            }

            token = await AuthenticateAsync(key, cancellationToken).ConfigureAwait(false);
            lock (_tokenLock)
            {
                _token = token;
                _authenticated = true;
            }

            return token is null ? null : new Metadata { { "token", token } };
        }
        finally
        {
            _authGate.Release();
        }
    }

    private async Task<string?> AuthenticateAsync(string? key, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Auth.AuthenticateAsync(
                new AuthenticateRequest { Name = _options.UserName, Password = _options.Password },
                deadline: DateTime.UtcNow + _options.OperationTimeout,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            return response.Token;
        }
        catch (RpcException e) when (e.Status.Detail.Contains("authentication is not enabled", StringComparison.Ordinal))
        {
            // Credentials given to a cluster without authentication: calls work without a token.
            return null;
        }
        catch (Exception e)
        {
            throw Map(e, key, cancellationToken);
        }
    }

    private static SocketsHttpHandler CreateHandler(EtcdKvStoreOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            EnableMultipleHttp2Connections = true,

            // Detects a member that vanished without closing the connection under a long-lived watch or lock wait.
            // etcd refuses pings more often than every 5 s and pings without streams by default.
            KeepAlivePingDelay = TimeSpan.FromSeconds(10),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
        };

        if (options.UseTls)
        {
            handler.SslOptions = CreateSslOptions(options);
        }

        return handler;
    }

    private static SslClientAuthenticationOptions CreateSslOptions(EtcdKvStoreOptions options)
    {
        var ssl = new SslClientAuthenticationOptions();
        try
        {
            if (options.ClientCertificatePath is { } certPath)
            {
                ssl.ClientCertificates = [X509Certificate2.CreateFromPemFile(certPath, options.ClientKeyPath)];
            }

            if (options.CaCertificatePath is { } caPath)
            {
                var authorities = new X509Certificate2Collection();
                authorities.ImportFromPemFile(caPath);
                ssl.RemoteCertificateValidationCallback = (_, certificate, _, errors) => IsTrusted(certificate, errors, authorities);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new KvConfigurationException($"etcd: cannot load the TLS certificate files (ca/cert/key): {e.Message}", e);
        }

        return ssl;
    }

    // Trusts a server certificate that chains to the configured authority and matches the host name.
    private static bool IsTrusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection authorities)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var server = new X509Certificate2(certificate);
        return chain.Build(server);
    }
}
