namespace Valkeyrie.Etcd;

/// <summary>Settings of an <see cref="EtcdKvStore"/>; <see cref="Parse(KvConnectionString)"/> builds them from <c>etcd://…</c>.</summary>
/// <remarks>
/// The shared vocabulary (timeouts, credentials, TLS, clock, logger) comes from <see cref="KvStoreOptions"/>;
/// <see cref="UseTls"/> and <see cref="OperationTimeout"/> remain as aliases of <see cref="KvStoreOptions.Tls"/> and
/// <see cref="KvStoreOptions.RequestTimeout"/>.
/// </remarks>
public sealed class EtcdKvStoreOptions : KvStoreOptions
{
    /// <summary>The port used when an endpoint gives none.</summary>
    public const int DefaultPort = 2379;

    /// <summary>The server's default <c>--max-txn-ops</c>.</summary>
    public const int DefaultMaxTransactionOperations = 128;

    // Connection string parameters this backend understands; anything else is a configuration error.
    // etcd authenticates with a user and password, never a token.
    private static readonly string[] KnownParameters = [.. CommonParameters.Where(p => p != "token"), "maxTxnOps"];

    /// <summary>The cluster members; calls fail over between them. Defaults to <c>127.0.0.1:2379</c> when empty.</summary>
    public IList<KvEndpoint> Endpoints { get; } = [];

    /// <summary>Whether to connect with TLS (<c>https</c>): an alias of <see cref="KvStoreOptions.Tls"/>.</summary>
    public bool UseTls { get => Tls; set => Tls = value; }

    /// <summary>The deadline of every call: an alias of <see cref="KvStoreOptions.RequestTimeout"/>.</summary>
    public TimeSpan OperationTimeout { get => RequestTimeout; set => RequestTimeout = value; }

    /// <summary>The cluster's <c>--max-txn-ops</c>: larger transactions are refused before anything is sent.</summary>
    public int MaxTransactionOperations { get; set; } = DefaultMaxTransactionOperations;

    /// <summary>
    /// Builds options from <c>etcd://[user:password@]host[:port][,host[:port]…][?tls=true&amp;ca=…&amp;cert=…&amp;key=…&amp;sni=…&amp;timeout=5s&amp;connectTimeout=3s&amp;maxTxnOps=128]</c>.
    /// </summary>
    /// <param name="connectionString">The parsed connection string.</param>
    /// <exception cref="KvConfigurationException">An unknown parameter, a path, or a malformed value.</exception>
    public static EtcdKvStoreOptions Parse(KvConnectionString connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        return ParseCore(connectionString);
    }

    /// <summary>Builds options from an <c>etcd://…</c> connection string; see <see cref="Parse(KvConnectionString)"/>.</summary>
    /// <param name="connectionString">The connection string.</param>
    /// <exception cref="KvConfigurationException">An unknown parameter, a path, or a malformed value.</exception>
    public static EtcdKvStoreOptions Parse(string connectionString) => Parse(KvConnectionString.Parse(connectionString));

    private static EtcdKvStoreOptions ParseCore(KvConnectionString connectionString)
    {
        RejectUnknownParameters(connectionString, "etcd", KnownParameters);

        if (connectionString.IsOpaque || connectionString.Path.Trim('/').Length > 0)
        {
            throw new KvConfigurationException(
                "An etcd connection string has the form etcd://[user:password@]host[:port][,host[:port]…][?…] and no path.");
        }

        var options = ReadCommon(
            new EtcdKvStoreOptions { MaxTransactionOperations = connectionString.GetInt32("maxTxnOps", DefaultMaxTransactionOperations) },
            connectionString);
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
