using System.Globalization;
using StackExchange.Redis;

namespace Valkeyrie.Redis;

/// <summary>Settings of a <see cref="RedisKvStore"/>. Build them in code, or from a connection string with <see cref="Parse(string)"/>.</summary>
public sealed class RedisKvStoreOptions
{
    /// <summary>The default Redis port.</summary>
    public const int DefaultPort = 6379;

    /// <summary>The servers, as <c>host:port</c>: the primary and its replicas, or the Sentinels when <see cref="ServiceName"/> is set.</summary>
    public IList<string> Endpoints { get; } = [];

    /// <summary>The ACL user name; <see langword="null"/> for the default user.</summary>
    public string? User { get; set; }

    /// <summary>The password (of <see cref="User"/>, or <c>requirepass</c>); <see langword="null"/> for none.</summary>
    public string? Password { get; set; }

    /// <summary>The logical database number (<c>SELECT</c>).</summary>
    public int Database { get; set; }

    /// <summary>Whether to connect with TLS (implied by the <c>rediss://</c> scheme).</summary>
    public bool UseSsl { get; set; }

    /// <summary>The host name the server's TLS certificate must match, when it differs from the endpoint.</summary>
    public string? SslHost { get; set; }

    /// <summary>Whether to connect with TLS (<c>tls=true</c>; the same as <see cref="UseSsl"/>). Never falls back to plaintext.</summary>
    public bool Tls { get; set; }

    /// <summary>A PEM file with the authority that issued the server's certificate (<c>ca</c>), instead of the system's trust store.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>A PEM client certificate (<c>cert</c>) for servers that require one (<c>tls-auth-clients yes</c>).</summary>
    public string? ClientCertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="ClientCertificatePath"/> (<c>key</c>).</summary>
    public string? ClientKeyPath { get; set; }

    /// <summary>The host name the server's certificate must match (<c>sni</c>; the same as <see cref="SslHost"/>).</summary>
    public string? ServerName { get; set; }

    /// <summary>The Sentinel service (master) name; set it when <see cref="Endpoints"/> are Sentinels.</summary>
    public string? ServiceName { get; set; }

    /// <summary>How long connecting may take before the attempt fails (and is retried in the background).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one call may wait for the server before it fails with <see cref="KvUnavailableException"/>.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many replicas must confirm each write (<c>WAIT</c>) before it counts as done; 0 (the default) acknowledges a
    /// write once the primary applied it, so a failover can lose the last writes. With N &gt; 0, a write that fewer
    /// replicas confirm within <see cref="ReplicaWaitTimeout"/> throws <see cref="KvOutcomeUnknownException"/> (it was
    /// applied on the primary but may not survive a failover). See docs/backends/redis.md, "Durability".
    /// </summary>
    public int WaitForReplicas { get; set; }

    /// <summary>How long a write waits for <see cref="WaitForReplicas"/> confirmations.</summary>
    public TimeSpan ReplicaWaitTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How many write batches the change log keeps (approximately, <c>XADD MAXLEN ~</c>). A watcher that falls further
    /// behind, for example while disconnected, resumes with a fresh snapshot instead of deltas.
    /// </summary>
    public int ChangeLogLength { get; set; } = 10_000;

    /// <summary>How often this client deletes keys whose TTL has passed and logs them as deletes for watchers.</summary>
    public TimeSpan ExpirySweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often a watcher or lock waiter re-reads the change log even without a pub/sub notification (a safety net:
    /// notifications are not persisted, the log is).
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Whether watches follow native writes (redis-cli <c>HSET</c>, <c>DEL</c>, …) through keyspace notifications and
    /// repair the key index and change log for them (docs/operators.md). The store turns on the
    /// <c>notify-keyspace-events</c> flags it needs (<c>Kgh$x</c>) when they are off, and a watch fails with
    /// <see cref="KvConfigurationException"/> when it may not (CONFIG disabled). Off, native writes reach watchers only
    /// through the periodic reconciliation, and keys created natively are never listed. Defaults to <see langword="true"/>.
    /// </summary>
    public bool NativeWrites { get; set; } = true;

    /// <summary>
    /// A StackExchange.Redis configuration string (<c>syncTimeout=3000,keepAlive=30,…</c>) applied on top of the
    /// settings above, for anything they do not cover.
    /// </summary>
    public string? ClientConfiguration { get; set; }

    /// <summary>A last hook to adjust the StackExchange.Redis configuration in code (certificates, loggers, tunnels).</summary>
    public Action<ConfigurationOptions>? ConfigureClient { get; set; }

    /// <summary>
    /// Parses <c>redis://[user:password@]host:port[,host2:port]?password=…&amp;user=…&amp;db=…&amp;ssl=…</c> (or
    /// <c>rediss://</c> for TLS). Other parameters: <c>tls</c>, <c>ca</c>, <c>cert</c>, <c>key</c>, <c>sni</c> (docs/security.md), <c>sslHost</c>, <c>serviceName</c>, <c>connectTimeout</c>,
    /// <c>timeout</c>, <c>waitReplicas</c>, <c>waitTimeout</c>, <c>logLength</c>, <c>sweepInterval</c>, <c>pollInterval</c>, <c>nativeWrites</c>, and <c>config</c> (a URL-encoded
    /// StackExchange.Redis configuration string). Unknown parameters are an error.
    /// </summary>
    /// <param name="connectionString">The connection string.</param>
    /// <exception cref="KvConfigurationException">The connection string is malformed.</exception>
    public static RedisKvStoreOptions Parse(string connectionString) => Parse(KvConnectionString.Parse(connectionString));

    /// <inheritdoc cref="Parse(string)"/>
    public static RedisKvStoreOptions Parse(KvConnectionString connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        if (connectionString.Scheme is not ("redis" or "rediss"))
        {
            throw new KvConfigurationException($"A Redis connection string starts with redis:// or rediss://, not '{connectionString.Scheme}:'.");
        }

        var unknown = connectionString.Parameters.Keys.Where(name => !KnownParameters.Contains(name, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
        {
            throw new KvConfigurationException(
                $"The redis connection string has unknown parameter(s) {string.Join(", ", unknown.Select(n => $"'{n}'"))}. " +
                $"Known parameters: {string.Join(", ", KnownParameters)}; pass other StackExchange.Redis settings in 'config'.");
        }

        if (connectionString.IsOpaque || (connectionString.Path.Length > 0 && connectionString.Path != "/"))
        {
            throw new KvConfigurationException("A redis connection string has the form redis://[user:password@]host:port[,host2:port][?db=N&…]; select the database with ?db=N.");
        }

        var options = new RedisKvStoreOptions
        {
            User = connectionString.Get("user") ?? connectionString.UserName,
            Password = connectionString.Get("password") ?? connectionString.Password,
            Database = connectionString.GetInt32("db", 0),
            UseSsl = connectionString.GetBoolean("ssl", connectionString.Scheme == "rediss"),
            SslHost = connectionString.Get("sslHost"),
            Tls = connectionString.GetBoolean("tls", false),
            CaCertificatePath = connectionString.Get("ca"),
            ClientCertificatePath = connectionString.Get("cert"),
            ClientKeyPath = connectionString.Get("key"),
            ServerName = connectionString.Get("sni"),
            ServiceName = connectionString.Get("serviceName"),
            ConnectTimeout = connectionString.GetTimeSpan("connectTimeout", TimeSpan.FromSeconds(5)),
            OperationTimeout = connectionString.GetTimeSpan("timeout", TimeSpan.FromSeconds(5)),
            WaitForReplicas = connectionString.GetInt32("waitReplicas", 0),
            ReplicaWaitTimeout = connectionString.GetTimeSpan("waitTimeout", TimeSpan.FromSeconds(2)),
            ChangeLogLength = connectionString.GetInt32("logLength", 10_000),
            ExpirySweepInterval = connectionString.GetTimeSpan("sweepInterval", TimeSpan.FromSeconds(1)),
            PollInterval = connectionString.GetTimeSpan("pollInterval", TimeSpan.FromSeconds(2)),
            ClientConfiguration = connectionString.Get("config"),
            NativeWrites = connectionString.GetBoolean("nativeWrites", true),
        };

        foreach (var endpoint in connectionString.Endpoints)
        {
            options.Endpoints.Add(new KvEndpoint(endpoint.Host, endpoint.PortOr(DefaultPort)).ToString());
        }

        options.Validate();
        return options;
    }

    /// <summary>Checks the options and throws <see cref="KvConfigurationException"/> naming the problem.</summary>
    public void Validate()
    {
        if (Endpoints.Count == 0 && ClientConfiguration is null)
        {
            throw new KvConfigurationException("The redis store needs at least one endpoint, for example redis://127.0.0.1:6379.");
        }

        if (ClientCertificatePath is null != (ClientKeyPath is null))
        {
            throw new KvConfigurationException("The redis settings 'cert' and 'key' go together: give the client certificate and its private key (PEM files).");
        }

        foreach (var (name, path) in new[] { ("ca", CaCertificatePath), ("cert", ClientCertificatePath), ("key", ClientKeyPath) })
        {
            if (path is not null && !File.Exists(path))
            {
                throw new KvConfigurationException($"The redis setting '{name}' names a file that does not exist: '{path}'.");
            }
        }

        if (Database < 0)
        {
            throw new KvConfigurationException($"The redis database number must be 0 or more (was {Database}).");
        }

        if (WaitForReplicas < 0)
        {
            throw new KvConfigurationException($"The redis setting 'waitReplicas' must be 0 or more (was {WaitForReplicas}).");
        }

        if (ChangeLogLength < 100)
        {
            throw new KvConfigurationException($"The redis change log length must be at least 100 batches (was {ChangeLogLength}).");
        }

        foreach (var (name, value) in new[] { ("connectTimeout", ConnectTimeout), ("timeout", OperationTimeout), ("sweepInterval", ExpirySweepInterval), ("pollInterval", PollInterval), ("waitTimeout", ReplicaWaitTimeout) })
        {
            if (value <= TimeSpan.Zero)
            {
                throw new KvConfigurationException($"The redis setting '{name}' must be positive (was {value}).");
            }
        }
    }

    /// <summary>The endpoints as shown in messages (never credentials).</summary>
    internal string DisplayEndpoint => Endpoints.Count > 0 ? string.Join(',', Endpoints) : "(configured endpoints)";

    /// <summary>
    /// Builds the StackExchange.Redis configuration: connect in the background, fail calls at once while disconnected,
    /// bounded timeouts. Options named in <see cref="ClientConfiguration"/> win over the settings above.
    /// </summary>
    internal ConfigurationOptions ToClientConfiguration()
    {
        ConfigurationOptions configuration;
        try
        {
            configuration = ClientConfiguration is null ? new ConfigurationOptions() : ConfigurationOptions.Parse(ClientConfiguration, ignoreUnknown: false);
        }
        catch (ArgumentException e)
        {
            throw new KvConfigurationException($"The redis 'config' setting is not a valid StackExchange.Redis configuration string: {e.Message}", e);
        }

        var named = (ClientConfiguration ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2)[0])
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        void Default(string name, Action apply)
        {
            if (!named.Contains(name))
            {
                apply();
            }
        }

        // Never queue commands while disconnected: calls fail at once with KvUnavailableException and callers and
        // watches retry with their own backoff. A failed first connect throws so the store can report why (and the
        // next call connects again); after that the client reconnects in the background.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ReconnectRetryPolicy = new ExponentialRetry(250, 2_000);
        Default("abortConnect", () => configuration.AbortOnConnectFail = true);
        Default("connectTimeout", () => configuration.ConnectTimeout = Milliseconds(ConnectTimeout));
        Default("syncTimeout", () => configuration.SyncTimeout = Milliseconds(OperationTimeout));
        Default("asyncTimeout", () => configuration.AsyncTimeout = Milliseconds(OperationTimeout));
        Default("connectRetry", () => configuration.ConnectRetry = 1);
        Default("defaultDatabase", () => configuration.DefaultDatabase = Database);
        Default("user", () => configuration.User = User);
        Default("password", () => configuration.Password = Password);
        Default("ssl", () => configuration.Ssl = UseSsl || Tls || CaCertificatePath is not null || ClientCertificatePath is not null);
        Default("sslHost", () => configuration.SslHost = SslHost ?? ServerName);
        if (CaCertificatePath is not null)
        {
            // Chain, validity period and host name are all checked against this authority only.
            configuration.TrustIssuer(CaCertificatePath);
        }

        if (ClientCertificatePath is not null)
        {
            configuration.SetUserPemCertificate(ClientCertificatePath, ClientKeyPath);
        }

        Default("serviceName", () => configuration.ServiceName = ServiceName);
        Default("name", () => configuration.ClientName = "valkeyrie");
        Default("allowAdmin", () => configuration.AllowAdmin = NativeWrites); // CONFIG GET/SET notify-keyspace-events
        foreach (var endpoint in Endpoints)
        {
            configuration.EndPoints.Add(endpoint);
        }

        ConfigureClient?.Invoke(configuration);
        return configuration;
    }

    private static readonly string[] KnownParameters =
        ["password", "user", "db", "ssl", "sslHost", "tls", "ca", "cert", "key", "sni", "serviceName", "connectTimeout", "timeout", "waitReplicas", "waitTimeout", "logLength", "sweepInterval", "pollInterval", "config", "nativeWrites"];

    private static int Milliseconds(TimeSpan value) => (int)Math.Clamp(Math.Ceiling(value.TotalMilliseconds), 1, int.MaxValue);

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"redis://{DisplayEndpoint}?db={Database}");
}
