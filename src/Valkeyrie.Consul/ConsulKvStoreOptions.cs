using System.Globalization;

namespace Valkeyrie.Consul;

/// <summary>
/// Settings of a <see cref="ConsulKvStore"/>. Build them in code, or from a connection string with
/// <see cref="FromConnectionString(string)"/>: <c>consul://h1:8500,h2:8500?token=…&amp;datacenter=dc1&amp;namespace=team&amp;tls=true</c>.
/// </summary>
public sealed class ConsulKvStoreOptions
{
    /// <summary>Consul's default HTTP port.</summary>
    public const int DefaultPort = 8500;

    /// <summary>Consul's default <c>session_ttl_min</c>: the shortest session TTL a server accepts.</summary>
    public static readonly TimeSpan DefaultMinimumSessionTtl = TimeSpan.FromSeconds(10);

    /// <summary>The longest session TTL Consul accepts.</summary>
    public static readonly TimeSpan MaximumSessionTtl = TimeSpan.FromHours(24);

    private static readonly string[] KnownParameters = ["token", "datacenter", "namespace", "tls", "timeout", "waitTime", "minSessionTtl"];

    /// <summary>
    /// The agents' HTTP addresses (<c>http://host:8500/</c> or <c>https://…</c>), tried in order: a call that cannot
    /// connect fails over to the next one. Empty means <c>http://127.0.0.1:8500/</c>.
    /// </summary>
    public IList<Uri> Endpoints { get; } = [];

    /// <summary>The ACL token, sent in the <c>X-Consul-Token</c> header (never in URLs or messages).</summary>
    public string? Token { get; set; }

    /// <summary>The datacenter to query (<c>?dc=</c>); the agent's own when null.</summary>
    public string? Datacenter { get; set; }

    /// <summary>The namespace (Consul Enterprise, <c>?ns=</c>); passed through unchanged, the default when null.</summary>
    public string? Namespace { get; set; }

    /// <summary>How long one ordinary call may take before it fails with <see cref="KvUnavailableException"/>.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one blocking query waits for a change (<c>?wait=</c>) before it is simply issued again.</summary>
    public TimeSpan WaitTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The server's <c>session_ttl_min</c>: TTLs below it are rounded up to it. Consul's default is 10 seconds; lower
    /// it only when the servers are configured with a lower minimum.
    /// </summary>
    public TimeSpan MinimumSessionTtl { get; set; } = DefaultMinimumSessionTtl;

    /// <summary>
    /// An <see cref="System.Net.Http.HttpClient"/> to use (for example one from <c>IHttpClientFactory</c>); the store
    /// does not dispose it and sets no base address on it. When null, the store creates one client for its lifetime.
    /// </summary>
    public HttpClient? HttpClient { get; set; }

    /// <summary>
    /// A handler for the client the store creates (client certificates, custom certificate validation, proxies);
    /// ignored when <see cref="HttpClient"/> is set. The store disposes it with itself.
    /// </summary>
    public HttpMessageHandler? HttpMessageHandler { get; set; }

    /// <summary>Parses a <c>consul://</c> connection string.</summary>
    /// <param name="connectionString">For example <c>consul://127.0.0.1:8500?token=…</c>.</param>
    /// <exception cref="KvConfigurationException">The string is malformed or has unknown parameters.</exception>
    public static ConsulKvStoreOptions FromConnectionString(string connectionString) =>
        FromConnectionString(KvConnectionString.Parse(connectionString));

    /// <summary>Builds options from a parsed <c>consul://</c> connection string.</summary>
    /// <param name="connectionString">The parsed connection string.</param>
    /// <exception cref="KvConfigurationException">The scheme is not consul or there are unknown parameters.</exception>
    public static ConsulKvStoreOptions FromConnectionString(KvConnectionString connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        if (connectionString.Scheme != "consul")
        {
            throw new KvConfigurationException($"A Consul connection string starts with 'consul://', not '{connectionString.Scheme}:'.");
        }

        var unknown = connectionString.Parameters.Keys
            .Where(name => !KnownParameters.Contains(name, StringComparer.OrdinalIgnoreCase))
            .ToList();
        if (unknown.Count > 0)
        {
            throw new KvConfigurationException(
                $"The consul connection string has unknown parameter(s) {string.Join(", ", unknown.Select(n => $"'{n}'"))}; known: {string.Join(", ", KnownParameters)}.");
        }

        if (connectionString.IsOpaque || connectionString.UserName is not null || connectionString.Path.Trim('/').Length > 0)
        {
            throw new KvConfigurationException(
                "A Consul connection string is consul://host[:port][,host[:port]…][?token=…]: no user, password or path (pass the ACL token as ?token=).");
        }

        var options = new ConsulKvStoreOptions
        {
            Token = connectionString.Get("token"),
            Datacenter = connectionString.Get("datacenter"),
            Namespace = connectionString.Get("namespace"),
            RequestTimeout = Positive(connectionString, "timeout", connectionString.GetTimeSpan("timeout", TimeSpan.FromSeconds(5))),
            WaitTime = Positive(connectionString, "waitTime", connectionString.GetTimeSpan("waitTime", TimeSpan.FromSeconds(30))),
            MinimumSessionTtl = Positive(connectionString, "minSessionTtl", connectionString.GetTimeSpan("minSessionTtl", DefaultMinimumSessionTtl)),
        };
        var scheme = connectionString.GetBoolean("tls", false) ? Uri.UriSchemeHttps : Uri.UriSchemeHttp;
        foreach (var endpoint in connectionString.Endpoints)
        {
            var host = endpoint.Host.Contains(':', StringComparison.Ordinal) ? $"[{endpoint.Host}]" : endpoint.Host;
            options.Endpoints.Add(new Uri(string.Create(CultureInfo.InvariantCulture, $"{scheme}://{host}:{endpoint.PortOr(DefaultPort)}/")));
        }

        return options;
    }

    /// <summary>Checks the options and throws <see cref="KvConfigurationException"/> naming the problem.</summary>
    public void Validate()
    {
        foreach (var endpoint in Endpoints)
        {
            if (endpoint is null || !endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
            {
                throw new KvConfigurationException($"Consul endpoint '{endpoint}' must be an absolute http:// or https:// address, for example http://127.0.0.1:8500/.");
            }
        }

        if (RequestTimeout <= TimeSpan.Zero || WaitTime <= TimeSpan.Zero)
        {
            throw new KvConfigurationException("ConsulKvStoreOptions.RequestTimeout and WaitTime must be positive.");
        }

        if (MinimumSessionTtl <= TimeSpan.Zero || MinimumSessionTtl > MaximumSessionTtl)
        {
            throw new KvConfigurationException($"ConsulKvStoreOptions.MinimumSessionTtl must be between 0 and {MaximumSessionTtl} (Consul's session_ttl_min).");
        }
    }

    private static TimeSpan Positive(KvConnectionString connectionString, string name, TimeSpan value) =>
        value > TimeSpan.Zero
            ? value
            : throw new KvConfigurationException($"The {connectionString.Scheme} connection string parameter '{name}' must be a positive duration.");
}
