using System.Globalization;

namespace Valkeyrie.ZooKeeper;

/// <summary>
/// Settings of a <see cref="ZooKeeperKvStore"/>. The connection string form is
/// <c>zookeeper://[user:password@]h1:2181,h2:2181[/chroot][?sessionTimeout=5s&amp;timeout=10s&amp;digest=user:password&amp;acl=creator]</c>.
/// The shared timeouts, clock and logger come from <see cref="KvStoreOptions"/>; <see cref="KvStoreOptions.RequestTimeout"/>
/// defaults to 10 seconds here (a call may wait out a session re-establishment), and <c>requestTimeout=</c> stays an
/// alias of <c>timeout=</c>. ZooKeeper authenticates with <see cref="Digest"/>.
/// </summary>
public sealed class ZooKeeperKvStoreOptions : KvStoreOptions
{
    /// <summary>ZooKeeper's default client port.</summary>
    public const int DefaultPort = 2181;

    private static readonly string[] KnownParameters = ["sessionTimeout", "timeout", "requestTimeout", "connectTimeout", "digest", "acl"];

    /// <summary>Creates options with ZooKeeper's defaults.</summary>
    public ZooKeeperKvStoreOptions() => RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The servers as <c>host:port</c>; the client fails over between them keeping its session.</summary>
    public IList<string> Endpoints { get; } = [];

    /// <summary>
    /// A path every key lives under (<c>/apps/billing</c>), created when missing; empty for the root. Keys then map
    /// to <c>/apps/billing/&lt;key&gt;</c>.
    /// </summary>
    public string Chroot { get; set; } = string.Empty;

    /// <summary>
    /// The session timeout asked of the server (which clamps it to 2–20 ticks). Ephemeral nodes — keep-alive keys
    /// and locks — disappear about this long after the process dies. Defaults to 5 seconds.
    /// </summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary><c>user:password</c> for ZooKeeper's digest authentication, added to the session; <see langword="null"/> for none.</summary>
    public string? Digest { get; set; }

    /// <summary>The ACL of the nodes the store creates. Defaults to <see cref="ZooKeeperAcl.Open"/>.</summary>
    public ZooKeeperAcl Acl { get; set; } = ZooKeeperAcl.Open;

    /// <summary>Parses a <c>zookeeper://</c> connection string; see <see cref="FromConnectionString"/>.</summary>
    /// <param name="connectionString">The connection string.</param>
    /// <exception cref="KvConfigurationException">The string has no host, an unknown parameter or an invalid value.</exception>
    public static ZooKeeperKvStoreOptions Parse(string connectionString) => FromConnectionString(KvConnectionString.Parse(connectionString));

    /// <summary>Parses a <c>zookeeper://</c> connection string.</summary>
    /// <param name="connectionString">The parsed connection string.</param>
    /// <exception cref="KvConfigurationException">The string has no host, an unknown parameter or an invalid value.</exception>
    public static ZooKeeperKvStoreOptions FromConnectionString(KvConnectionString connectionString)
    {
        RejectUnknownParameters(connectionString, "zookeeper", KnownParameters);

        if (connectionString.Endpoints.Count == 0)
        {
            throw new KvConfigurationException("The zookeeper connection string needs at least one host, for example 'zookeeper://127.0.0.1:2181'.");
        }

        var options = new ZooKeeperKvStoreOptions
        {
            Chroot = connectionString.Path.TrimEnd('/'),
            SessionTimeout = connectionString.GetTimeSpan("sessionTimeout", TimeSpan.FromSeconds(5)),
            RequestTimeout = connectionString.GetTimeSpan("timeout", connectionString.GetTimeSpan("requestTimeout", TimeSpan.FromSeconds(10))),
            ConnectTimeout = connectionString.GetTimeSpan("connectTimeout", TimeSpan.FromSeconds(3)),
            Digest = connectionString.Get("digest")
                ?? (connectionString.UserName is { } user ? $"{user}:{connectionString.Password}" : null),
            Acl = connectionString.Get("acl")?.ToUpperInvariant() switch
            {
                null or "OPEN" => ZooKeeperAcl.Open,
                "CREATOR" => ZooKeeperAcl.Creator,
                "CREATOR-READ" or "CREATORWORLDREAD" => ZooKeeperAcl.CreatorWorldRead,
                _ => throw new KvConfigurationException(
                    $"The zookeeper connection string parameter 'acl' must be open, creator or creator-read (was '{connectionString.Get("acl")}')."),
            },
        };
        foreach (var endpoint in connectionString.Endpoints)
        {
            options.Endpoints.Add(string.Create(CultureInfo.InvariantCulture, $"{endpoint.Host}:{endpoint.PortOr(DefaultPort)}"));
        }

        return options;
    }

    /// <summary>Checks the options and throws <see cref="KvConfigurationException"/> naming the problem.</summary>
    public void Validate()
    {
        if (Endpoints.Count == 0)
        {
            throw new KvConfigurationException("ZooKeeperKvStoreOptions.Endpoints needs at least one host:port.");
        }

        if (SessionTimeout <= TimeSpan.Zero || RequestTimeout <= TimeSpan.Zero || ConnectTimeout <= TimeSpan.Zero)
        {
            throw new KvConfigurationException("ZooKeeper session, request and connect timeouts must be positive.");
        }

        if (Chroot.Length > 0 && (!Chroot.StartsWith('/') || Chroot.EndsWith('/') || Chroot.Contains("//", StringComparison.Ordinal)))
        {
            throw new KvConfigurationException($"The ZooKeeper chroot '{Chroot}' must look like /a/b (a leading '/', no trailing '/').");
        }

        if (Digest is { } digest && !digest.Contains(':', StringComparison.Ordinal))
        {
            throw new KvConfigurationException("The ZooKeeper digest must be 'user:password'.");
        }

        if (Acl != ZooKeeperAcl.Open && Digest is null)
        {
            throw new KvConfigurationException($"The ZooKeeper ACL '{Acl}' grants access to the authenticated creator, so it needs a digest (user:password).");
        }
    }
}
