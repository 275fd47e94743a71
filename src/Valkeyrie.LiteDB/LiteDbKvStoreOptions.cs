namespace Valkeyrie.LiteDB;

/// <summary>
/// Options of a <see cref="LiteDbKvStore"/>. The connection string form is
/// <c>litedb:./config.db?password=…&amp;readonly=true&amp;pollInterval=250ms&amp;timeout=5s&amp;changeLogRevisions=10000</c>.
/// </summary>
public sealed class LiteDbKvStoreOptions
{
    /// <summary>The longest poll interval accepted: other processes' writes must reach watchers promptly.</summary>
    public static readonly TimeSpan MaxPollInterval = TimeSpan.FromSeconds(10);

    private static readonly string[] KnownParameters = ["password", "readonly", "pollInterval", "timeout", "changeLogRevisions"];

    /// <summary>The database file, absolute or relative to the current directory. Created on first use unless <see cref="ReadOnly"/>.</summary>
    public string FilePath { get; set; } = string.Empty;

    /// <summary>The password of an encrypted file (AES); <see langword="null"/> for a plain file. Never logged.</summary>
    public string? Password { get; set; }

    /// <summary>Opens the file read-only: reads and watches work, every write fails with <see cref="KvAuthenticationException"/>.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>
    /// The longest the store waits before checking the file's revision to discover other processes' writes, and sweeping
    /// expired keys; a change of the file on disk wakes it earlier. Writes made through stores of the same process are
    /// delivered at once. Defaults to 250 ms.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long a call waits for the file while another store or process holds it, before failing with
    /// <see cref="KvUnavailableException"/>. Defaults to 5 s.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many revisions of history the change log keeps for watchers of other processes and watchers that fell
    /// behind; a watcher further behind gets a fresh snapshot. Defaults to 10,000.
    /// </summary>
    public int ChangeLogRevisions { get; set; } = 10_000;

    /// <summary>Parses a <c>litedb:</c> connection string.</summary>
    /// <param name="connectionString">For example <c>litedb:./config.db</c> or <c>litedb:/var/lib/app/config.db?readonly=true</c>.</param>
    /// <exception cref="KvConfigurationException">The string is malformed or has unknown parameters.</exception>
    public static LiteDbKvStoreOptions Parse(string connectionString) => FromConnectionString(KvConnectionString.Parse(connectionString));

    /// <summary>Builds options from a parsed <c>litedb:</c> connection string.</summary>
    /// <param name="connectionString">The parsed connection string.</param>
    /// <exception cref="KvConfigurationException">The string is malformed or has unknown parameters.</exception>
    public static LiteDbKvStoreOptions FromConnectionString(KvConnectionString connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        if (connectionString.Scheme != LiteDbKvStore.Scheme)
        {
            throw new KvConfigurationException($"A LiteDB store needs a '{LiteDbKvStore.Scheme}:' connection string, not '{connectionString.Scheme}:'.");
        }

        if (connectionString.Endpoints.Count > 0 || connectionString.UserName is not null || connectionString.Password is not null)
        {
            throw new KvConfigurationException(
                "A litedb connection string names a file, not a host: use 'litedb:./config.db' or 'litedb:/absolute/path/config.db' (pass the password as '?password=…').");
        }

        var unknown = connectionString.Parameters.Keys
            .Where(name => !KnownParameters.Contains(name, StringComparer.OrdinalIgnoreCase))
            .ToList();
        if (unknown.Count > 0)
        {
            throw new KvConfigurationException(
                $"Unknown litedb connection string parameter(s): {string.Join(", ", unknown)}. Known parameters: {string.Join(", ", KnownParameters)}.");
        }

        var options = new LiteDbKvStoreOptions
        {
            FilePath = connectionString.Path,
            Password = connectionString.Get("password"),
            ReadOnly = connectionString.GetBoolean("readonly", false),
            PollInterval = connectionString.GetTimeSpan("pollInterval", TimeSpan.FromMilliseconds(250)),
            OperationTimeout = connectionString.GetTimeSpan("timeout", TimeSpan.FromSeconds(5)),
            ChangeLogRevisions = connectionString.GetInt32("changeLogRevisions", 10_000),
        };
        options.Validate();
        return options;
    }

    /// <summary>Checks the options and throws <see cref="KvConfigurationException"/> naming the problem.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(FilePath))
        {
            throw new KvConfigurationException("The LiteDB store needs a file path, for example 'litedb:./config.db'.");
        }

        if (Password is { Length: 0 })
        {
            throw new KvConfigurationException("The LiteDB password is empty: leave it out for a plain file.");
        }

        if (PollInterval <= TimeSpan.Zero || PollInterval > MaxPollInterval)
        {
            throw new KvConfigurationException($"The LiteDB poll interval must be between 0 and {MaxPollInterval.TotalSeconds:0} s (was {PollInterval}).");
        }

        if (OperationTimeout <= TimeSpan.Zero)
        {
            throw new KvConfigurationException($"The LiteDB operation timeout must be positive (was {OperationTimeout}).");
        }

        if (ChangeLogRevisions < 1)
        {
            throw new KvConfigurationException($"The LiteDB change log must keep at least 1 revision (was {ChangeLogRevisions}).");
        }
    }

    internal LiteDbKvStoreOptions Clone() => (LiteDbKvStoreOptions)MemberwiseClone();
}
