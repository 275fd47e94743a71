using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Valkeyrie.Consul;

/// <summary>
/// Sends requests to Consul's HTTP API through one reused <see cref="HttpClient"/>: adds the token header and the
/// datacenter and namespace parameters, bounds every call with a timeout, fails over to the next agent when one
/// cannot be reached, and turns failures into the <see cref="KvException"/> family.
/// </summary>
internal sealed class ConsulTransport : IDisposable
{
    internal const string Backend = "consul";
    private const string TokenHeader = "X-Consul-Token";
    private const string IndexHeader = "X-Consul-Index";
    private const int MaxErrorText = 200;

    private readonly ConsulKvStoreOptions _options;
    private readonly Uri[] _endpoints;
    private readonly HttpClient _client;
    private readonly bool _ownsClient;
    private int _current;

    public ConsulTransport(ConsulKvStoreOptions options)
    {
        _options = options;
        _endpoints = options.Endpoints.Count > 0 ? [.. options.Endpoints] : [new Uri($"http://127.0.0.1:{ConsulKvStoreOptions.DefaultPort}/")];
        if (options.HttpClient is { } client)
        {
            _client = client;
        }
        else
        {
            // A refused or unroutable agent must fail fast so failover and KvUnavailableException come within seconds.
            var handler = options.HttpMessageHandler ?? new SocketsHttpHandler
            {
                ConnectTimeout = TimeSpan.FromSeconds(3),
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            };
            _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
            _ownsClient = true;
        }
    }

    /// <summary>The agent currently used, for messages.</summary>
    public string CurrentEndpoint => Describe(_endpoints[Volatile.Read(ref _current) % _endpoints.Length]);

    /// <summary>Sends a request and returns 200, 404 and 409 answers; every other outcome is thrown as a KvException.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The path and query without the datacenter/namespace parameters, e.g. <c>v1/kv/a/b?recurse</c>.</param>
    /// <param name="body">The request body, or null.</param>
    /// <param name="key">The key involved, for messages.</param>
    /// <param name="timeout">How long the call may take in total.</param>
    /// <param name="cancellationToken">Cancels the call (the HTTP request is aborted at once).</param>
    public async Task<ConsulResponse> SendAsync(
        HttpMethod method, string path, byte[]? body, string? key, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var isWrite = method != HttpMethod.Get;
        var first = Volatile.Read(ref _current);
        HttpRequestException? unreachable = null;
        for (var attempt = 0; attempt < _endpoints.Length; attempt++)
        {
            var slot = (first + attempt) % _endpoints.Length;
            var endpoint = _endpoints[slot];
            using var request = new HttpRequestMessage(method, new Uri(endpoint, AddScope(path)));
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }

            if (_options.Token is { Length: > 0 } token)
            {
                request.Headers.TryAddWithoutValidation(TokenHeader, token);
            }

            try
            {
                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token).ConfigureAwait(false);
                var bytes = await response.Content.ReadAsByteArrayAsync(deadline.Token).ConfigureAwait(false);
                Volatile.Write(ref _current, slot);
                return Interpret(response, bytes, Describe(endpoint), key, isWrite);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (OperationCanceledException e) when (isWrite)
            {
                throw new KvOutcomeUnknownException(
                    Backend, Describe(endpoint), key, $"the agent did not answer within {timeout.TotalSeconds:0.#} s after the write was sent", e);
            }
            catch (OperationCanceledException e)
            {
                throw new KvUnavailableException(
                    Backend, Describe(endpoint), key,
                    $"the agent did not answer within {timeout.TotalSeconds:0.#} s; check that it is running and reachable, or raise the timeout.", e);
            }
            catch (HttpRequestException e) when (IsUnreachable(e))
            {
                // Nothing reached the agent, so trying the next one cannot apply a write twice.
                unreachable = e;
            }
            catch (HttpRequestException e) when (isWrite)
            {
                throw new KvOutcomeUnknownException(Backend, Describe(endpoint), key, $"the connection failed after the write was sent ({e.Message})", e);
            }
            catch (HttpRequestException e)
            {
                throw new KvUnavailableException(Backend, Describe(endpoint), key, $"the request failed ({e.Message}); retry later.", e);
            }
        }

        var tried = string.Join(", ", _endpoints.Select(Describe));
        throw new KvUnavailableException(
            Backend, tried, key, "no agent could be reached; check that Consul is running and the address is right.", unreachable);
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    private static bool IsUnreachable(HttpRequestException e) =>
        e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError;

    private static string Describe(Uri endpoint) => endpoint.GetLeftPart(UriPartial.Authority);

    // A server error on a write is "outcome unknown" unless Consul says no leader took it: the agent forwards writes to
    // the leader, and a leader lost mid-commit ("rpc error making call: EOF", "timed out enqueuing operation") may have
    // applied the write.
    private static bool NothingApplied(HttpStatusCode status, string text) =>
        status == HttpStatusCode.TooManyRequests || text.Contains("No cluster leader", StringComparison.OrdinalIgnoreCase);

    private static ConsulResponse Interpret(HttpResponseMessage response, byte[] body, string endpoint, string? key, bool isWrite)
    {
        var index = response.Headers.TryGetValues(IndexHeader, out var values)
            && ulong.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : 0;
        var status = response.StatusCode;
        if (status is HttpStatusCode.OK or HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            return new ConsulResponse(status, body, index, endpoint);
        }

        var text = ErrorText(body);
        throw status switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new KvAuthenticationException(
                Backend, endpoint, key,
                $"the ACL token was rejected ({text}); set a valid token with the rights listed in docs/backends/consul.md (key_prefix read/write, session write)."),
            HttpStatusCode.RequestEntityTooLarge => new KvLimitExceededException(
                Backend, endpoint, key,
                $"the request is too large for the agent ({text}): Consul limits values to kv_max_value_size and transactions to txn_max_req_len (512 KiB each by default, base64 included); nothing was written."),
            >= HttpStatusCode.InternalServerError when isWrite && !NothingApplied(status, text) => new KvOutcomeUnknownException(
                Backend, endpoint, key, $"the agent answered {(int)status} ({text}) after the write was sent"),
            HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError => new KvUnavailableException(
                Backend, endpoint, key, $"the agent answered {(int)status} ({text}); it may have no cluster leader yet, retry later."),
            _ => new KvException(Backend, endpoint, key, $"the agent rejected the request with {(int)status} ({text})."),
        };
    }

    // Consul's error bodies are short plain text naming the problem; they never echo values, but may be long.
    private static string ErrorText(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body).Trim();
        if (text.Length == 0)
        {
            return "no details";
        }

        return text.Length > MaxErrorText ? text[..MaxErrorText] + "…" : text;
    }

    private string AddScope(string path)
    {
        var builder = new StringBuilder(path);
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        if (_options.Datacenter is { Length: > 0 } dc)
        {
            builder.Append(separator).Append("dc=").Append(Uri.EscapeDataString(dc));
            separator = '&';
        }

        if (_options.Namespace is { Length: > 0 } ns)
        {
            builder.Append(separator).Append("ns=").Append(Uri.EscapeDataString(ns));
        }

        return builder.ToString();
    }
}
