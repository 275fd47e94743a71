namespace Valkeyrie.Etcd;

/// <summary>Settings of an <see cref="EtcdKvStore"/>; <see cref="Parse(KvConnectionString)"/> builds them from <c>etcd://…</c>.</summary>
public sealed class EtcdKvStoreOptions
{
    /// <summary>The port used when an endpoint gives none.</summary>
    public const int DefaultPort = 2379;

    /// <summary>The server's default <c>--max-txn-ops</c>.</summary>
    public const int DefaultMaxTransactionOperations = 128;

    // Connection string parameters this backend understands; anything else is a configuration error.
    private static readonly string[] KnownParameters = ["tls", "ca", "cert", "key", "timeout", "connectTimeout", "maxTxnOps"];

    /// <summary>The cluster members; calls fail over between them. Defaults to <c>127.0.0.1:2379</c> when empty.</summary>
    public IList<KvEndpoint> Endpoints { get; } = [];

    /// <summary>The user name, when the cluster has authentication enabled.</summary>
    public string? UserName { get; set; }

    /// <summary>The password of <see cref="UserName"/>. Never shown in messages.</summary>
    public string? Password { get; set; }

    /// <summary>Whether to connect with TLS (<c>https</c>).</summary>
    public bool UseTls { get; set; }

    /// <summary>A PEM file of the certificate authority that signed the servers' certificates; the system store when null.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>A PEM client certificate for mutual TLS (with <see cref="ClientKeyPath"/>).</summary>
    public string? ClientCertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="ClientCertificatePath"/>.</summary>
    public string? ClientKeyPath { get; set; }

    /// <summary>The deadline of every call: a call that gets no answer in this time fails with <see cref="KvUnavailableException"/>.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long opening a connection to one endpoint may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The cluster's <c>--max-txn-ops</c>: larger transactions are refused before anything is sent.</summary>
    public int MaxTransactionOperations { get; set; } = DefaultMaxTransactionOperations;

    /// <summary>
    /// Builds options from <c>etcd://[user:password@]host[:port][,host[:port]…][?tls=true&amp;ca=…&amp;cert=…&amp;key=…&amp;timeout=5s&amp;connectTimeout=3s&amp;maxTxnOps=128]</c>.
    /// </summary>
    /// <param name="connectionString">The parsed connection string.</param>
    /// <exception cref="KvConfigurationException">An unknown parameter, a path, or a malformed value.</exception>
    public static EtcdKvStoreOptions Parse(KvConnectionString connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var unknown = connectionString.Parameters.Keys
            .Where(name => !KnownParameters.Contains(name, StringComparer.OrdinalIgnoreCase))
            .ToList();
        if (unknown.Count > 0)
        {
            throw new KvConfigurationException(
                $"The etcd connection string has unknown parameter(s) {string.Join(", ", unknown.Select(n => $"'{n}'"))}; known parameters: {string.Join(", ", KnownParameters)}.");
        }

        if (connectionString.IsOpaque || connectionString.Path.Trim('/').Length > 0)
        {
            throw new KvConfigurationException(
                "An etcd connection string has the form etcd://[user:password@]host[:port][,host[:port]…][?…] and no path.");
        }

        var options = new EtcdKvStoreOptions
        {
            UserName = connectionString.UserName,
            Password = connectionString.Password,
            UseTls = connectionString.GetBoolean("tls", false),
            CaCertificatePath = connectionString.Get("ca"),
            ClientCertificatePath = connectionString.Get("cert"),
            ClientKeyPath = connectionString.Get("key"),
            OperationTimeout = connectionString.GetTimeSpan("timeout", TimeSpan.FromSeconds(5)),
            ConnectTimeout = connectionString.GetTimeSpan("connectTimeout", TimeSpan.FromSeconds(3)),
            MaxTransactionOperations = connectionString.GetInt32("maxTxnOps", DefaultMaxTransactionOperations),
        };
        foreach (var endpoint in connectionString.Endpoints)
        {
            options.Endpoints.Add(endpoint);
        }

        options.Validate();
        return options;
    }

    /// <summary>Checks the options and throws <see cref="KvConfigurationException"/> naming the problem.</summary>
    public void Validate()
    {
        if (OperationTimeout <= TimeSpan.Zero || ConnectTimeout <= TimeSpan.Zero)
        {
            throw new KvConfigurationException("etcd: timeout and connectTimeout must be positive durations, for example 5s.");
        }

        if (MaxTransactionOperations < 1)
        {
            throw new KvConfigurationException("etcd: maxTxnOps must be at least 1 (the server's --max-txn-ops, 128 by default).");
        }

        if (UserName is null != Password is null)
        {
            throw new KvConfigurationException("etcd: give both a user name and a password (etcd://user:password@host:2379), or neither.");
        }

        if (ClientCertificatePath is null != ClientKeyPath is null)
        {
            throw new KvConfigurationException("etcd: a client certificate needs both cert=… and key=… (PEM files).");
        }

        if (!UseTls && (CaCertificatePath ?? ClientCertificatePath) is not null)
        {
            throw new KvConfigurationException("etcd: ca, cert and key only apply with tls=true.");
        }
    }
}
