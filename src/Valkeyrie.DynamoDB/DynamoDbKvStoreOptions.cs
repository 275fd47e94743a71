namespace Valkeyrie.DynamoDB;

/// <summary>
/// Options of a <see cref="DynamoDbKvStore"/>. The connection string form is
/// <c>dynamodb://?table=config&amp;region=eu-west-1&amp;serviceUrl=http://127.0.0.1:8000&amp;createTable=true</c>;
/// every parameter has a property of the same name here.
/// </summary>
public sealed class DynamoDbKvStoreOptions
{
    /// <summary>The connection string scheme.</summary>
    public const string Scheme = "dynamodb";

    private static readonly string[] KnownParameters =
        ["table", "region", "serviceUrl", "createTable", "accessKey", "secretKey", "pollInterval", "pageSize", "logRetention", "timeout", "commitMode"];

    /// <summary>The table name. Defaults to <c>valkeyrie</c>.</summary>
    public string Table { get; init; } = "valkeyrie";

    /// <summary>The AWS region (for example <c>eu-west-1</c>); when null the SDK's usual region resolution applies, or <c>us-east-1</c> with <see cref="ServiceUrl"/>.</summary>
    public string? Region { get; init; }

    /// <summary>An explicit endpoint such as <c>http://127.0.0.1:8000</c> (DynamoDB Local, dynalite); null for AWS's regional endpoint.</summary>
    public Uri? ServiceUrl { get; init; }

    /// <summary>Creates the table (and its expiry index) on first use when it does not exist. Off by default: production tables belong to infrastructure code.</summary>
    public bool CreateTable { get; init; }

    /// <summary>An access key id; with <see cref="SecretKey"/> it replaces AWS's default credential chain (environment, profile, instance role).</summary>
    public string? AccessKey { get; init; }

    /// <summary>The secret access key that goes with <see cref="AccessKey"/>. Never shown in messages.</summary>
    public string? SecretKey { get; init; }

    /// <summary>How often watches poll the change log (and lock waiters poll the lock). Each poll is one small strongly consistent Query.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The most items one Query page may return; null lets DynamoDB fill 1 MB pages. Small values force pagination (tests).</summary>
    public int? PageSize { get; init; }

    /// <summary>
    /// How long change-log entries (and the tombstones of deleted keys) are kept. A watch that falls further behind gets a fresh
    /// snapshot instead of the missed deltas. At least one minute.
    /// </summary>
    public TimeSpan LogRetention { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The timeout of one HTTP request; calls fail with <see cref="KvUnavailableException"/> after a few such attempts.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How writes are committed: <see cref="DynamoDbCommitMode.Auto"/> (the default) uses <c>TransactWriteItems</c> where the endpoint
    /// implements it and the change-log protocol elsewhere. Connection string: <c>commitMode=auto|native|log</c>.
    /// </summary>
    public DynamoDbCommitMode CommitMode { get; init; } = DynamoDbCommitMode.Auto;

    /// <summary>Parses a <c>dynamodb:</c> connection string; unknown parameters are a <see cref="KvConfigurationException"/>.</summary>
    /// <param name="connectionString">The parsed connection string.</param>
    public static DynamoDbKvStoreOptions FromConnectionString(KvConnectionString connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        if (!string.Equals(connectionString.Scheme, Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new KvConfigurationException($"A DynamoDB connection string starts with '{Scheme}://', not '{connectionString.Scheme}:'.");
        }

        var unknown = connectionString.Parameters.Keys
            .Where(name => !KnownParameters.Contains(name, StringComparer.OrdinalIgnoreCase))
            .ToList();
        if (unknown.Count > 0)
        {
            throw new KvConfigurationException(
                $"The dynamodb connection string has unknown parameter(s) {string.Join(", ", unknown.Select(n => $"'{n}'"))}; known parameters: {string.Join(", ", KnownParameters)}.");
        }

        if (connectionString.Endpoints.Count > 0 || connectionString.Path.Trim('/').Length > 0)
        {
            throw new KvConfigurationException(
                "The dynamodb connection string takes no host or path: write 'dynamodb://?table=…&region=…', and 'serviceUrl=http://host:port' for a local endpoint.");
        }

        Uri? serviceUrl = null;
        if (connectionString.Get("serviceUrl") is { } url && !Uri.TryCreate(url, UriKind.Absolute, out serviceUrl))
        {
            throw new KvConfigurationException($"The dynamodb connection string parameter 'serviceUrl' must be an absolute URL such as http://127.0.0.1:8000 (was '{url}').");
        }

        var defaults = new DynamoDbKvStoreOptions();
        var pageSize = connectionString.GetInt32("pageSize", 0);
        var options = new DynamoDbKvStoreOptions
        {
            Table = connectionString.Get("table") ?? defaults.Table,
            Region = connectionString.Get("region"),
            ServiceUrl = serviceUrl,
            CreateTable = connectionString.GetBoolean("createTable", false),
            AccessKey = connectionString.Get("accessKey"),
            SecretKey = connectionString.Get("secretKey"),
            PollInterval = connectionString.GetTimeSpan("pollInterval", defaults.PollInterval),
            PageSize = pageSize == 0 ? null : pageSize,
            LogRetention = connectionString.GetTimeSpan("logRetention", defaults.LogRetention),
            Timeout = connectionString.GetTimeSpan("timeout", defaults.Timeout),
            CommitMode = ParseCommitMode(connectionString.Get("commitMode")),
        };
        options.Validate();
        return options;
    }

    /// <summary>Checks the options and throws <see cref="KvConfigurationException"/> naming the problem.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Table) || Table.Length is < 3 or > 255)
        {
            throw new KvConfigurationException($"The DynamoDB table name must have 3 to 255 characters (was '{Table}').");
        }

        if ((AccessKey is null) != (SecretKey is null))
        {
            throw new KvConfigurationException("DynamoDB credentials need both accessKey and secretKey, or neither (to use AWS's default credential chain).");
        }

        if (PollInterval <= TimeSpan.Zero || Timeout <= TimeSpan.Zero)
        {
            throw new KvConfigurationException("The DynamoDB pollInterval and timeout must be positive.");
        }

        if (PageSize is < 1)
        {
            throw new KvConfigurationException($"The DynamoDB pageSize must be at least 1 (was {PageSize}).");
        }

        if (!Enum.IsDefined(CommitMode))
        {
            throw new KvConfigurationException($"The DynamoDB commitMode must be Auto, Native or Log (was {(int)CommitMode}).");
        }

        if (LogRetention < TimeSpan.FromMinutes(1))
        {
            throw new KvConfigurationException($"The DynamoDB logRetention must be at least one minute (was {LogRetention}).");
        }
    }

    private static DynamoDbCommitMode ParseCommitMode(string? value) => value?.ToUpperInvariant() switch
    {
        null or "AUTO" => DynamoDbCommitMode.Auto,
        "NATIVE" => DynamoDbCommitMode.Native,
        "LOG" => DynamoDbCommitMode.Log,
        _ => throw new KvConfigurationException($"The dynamodb connection string parameter 'commitMode' must be auto, native or log (was '{value}')."),
    };

    /// <summary>Where the store points, for messages: the table and the endpoint or region, never credentials.</summary>
    internal string Describe() => $"table '{Table}' at {ServiceUrl?.GetLeftPart(UriPartial.Authority) ?? Region ?? "the default AWS region"}";
}
