using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Amazon;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using static Valkeyrie.DynamoDB.DynamoDbSchema;

namespace Valkeyrie.DynamoDB;

/// <summary>
/// The low-level client of one table: bounded timeouts and SDK retries (with backoff on throttling), the table check or
/// creation on first use, pagination, and the mapping of every client failure to the <see cref="KvException"/> family.
/// </summary>
internal sealed class DynamoDbTable : IDisposable
{
    private const string Backend = "dynamodb";

    private readonly AmazonDynamoDBClient _client;
    private readonly DynamoDbKvStoreOptions _options;
    private readonly SemaphoreSlim _readyGate = new(1, 1);
    private volatile bool _ready;

    public DynamoDbTable(DynamoDbKvStoreOptions options)
    {
        _options = options;
        Endpoint = options.Describe();
        var config = new AmazonDynamoDBConfig
        {
            Timeout = options.Timeout,
            MaxErrorRetry = 2,
            RetryMode = RequestRetryMode.Standard,
        };
        if (options.ServiceUrl is { } url)
        {
            config.ServiceURL = url.ToString();
            config.AuthenticationRegion = options.Region ?? "us-east-1";
        }
        else if (options.Region is { } region)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        _client = options.AccessKey is { } accessKey
            ? new AmazonDynamoDBClient(new BasicAWSCredentials(accessKey, options.SecretKey), config)
            : new AmazonDynamoDBClient(config);
    }

    /// <summary>Where the table is, for messages (no credentials).</summary>
    public string Endpoint { get; }

    public string Name => _options.Table;

    public int? PageSize => _options.PageSize;

    /// <summary>Runs one client call after making sure the table is usable, and maps its failures.</summary>
    public async Task<T> CallAsync<T>(Func<IAmazonDynamoDB, CancellationToken, Task<T>> call, string? key, CancellationToken cancellationToken)
    {
        if (!_ready)
        {
            await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await call(_client, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Map(e, key, cancellationToken) is { } mapped)
        {
            throw mapped;
        }
    }

    /// <summary>Pages through a Query (items in sort-key order), one page of at most <see cref="PageSize"/> items at a time.</summary>
    public async IAsyncEnumerable<Dictionary<string, AttributeValue>> QueryAsync(
        Func<QueryRequest> request, string? key, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = request();
            page.TableName = Name;
            page.Limit = PageSize;
            page.ExclusiveStartKey = start;
            var response = await CallAsync((c, ct) => c.QueryAsync(page, ct), key, cancellationToken).ConfigureAwait(false);
            foreach (var item in response.Items ?? [])
            {
                yield return item;
            }

            start = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);
    }

    /// <summary>Reads items by key with BatchGetItem (100 keys a call), retrying unprocessed keys with backoff.</summary>
    public async Task<Dictionary<string, StoredItem>> BatchGetAsync(IReadOnlyCollection<string> keys, bool consistent, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, StoredItem>(StringComparer.Ordinal);
        foreach (var chunk in keys.Chunk(100))
        {
            var pending = new KeysAndAttributes { Keys = [.. chunk.Select(StoredItem.KeyOf)], ConsistentRead = consistent };
            var backoff = new Backends.KvBackoff(TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(1));
            while (pending.Keys is { Count: > 0 })
            {
                var request = new BatchGetItemRequest { RequestItems = new() { [Name] = pending } };
                var response = await CallAsync((c, ct) => c.BatchGetItemAsync(request, ct), chunk[0], cancellationToken).ConfigureAwait(false);
                foreach (var item in response.Responses?.GetValueOrDefault(Name) ?? [])
                {
                    var stored = StoredItem.From(item)!;
                    found[stored.Key] = stored;
                }

                pending = response.UnprocessedKeys?.GetValueOrDefault(Name) ?? new KeysAndAttributes();
                if (pending.Keys is { Count: > 0 })
                {
                    await backoff.DelayAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return found;
    }

    /// <summary>Deletes items unconditionally with BatchWriteItem (25 a call), retrying unprocessed items with backoff.</summary>
    public async Task BatchDeleteAsync(IEnumerable<Dictionary<string, AttributeValue>> keys, CancellationToken cancellationToken)
    {
        foreach (var chunk in keys.Chunk(25))
        {
            List<WriteRequest> pending = [.. chunk.Select(k => new WriteRequest { DeleteRequest = new DeleteRequest { Key = k } })];
            var backoff = new Backends.KvBackoff(TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(1));
            while (pending.Count > 0)
            {
                var request = new BatchWriteItemRequest { RequestItems = new() { [Name] = pending } };
                var response = await CallAsync((c, ct) => c.BatchWriteItemAsync(request, ct), null, cancellationToken).ConfigureAwait(false);
                pending = response.UnprocessedItems?.GetValueOrDefault(Name) ?? [];
                if (pending.Count > 0)
                {
                    await backoff.DelayAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    public void Dispose()
    {
        _client.Dispose();
        _readyGate.Dispose();
    }

    private async Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        await _readyGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_ready)
            {
                return;
            }

            TableDescription table;
            try
            {
                table = (await _client.DescribeTableAsync(new DescribeTableRequest { TableName = Name }, cancellationToken).ConfigureAwait(false)).Table;
            }
            catch (ResourceNotFoundException) when (_options.CreateTable)
            {
                table = await CreateAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (Map(e, null, cancellationToken) is { } mapped)
            {
                throw mapped;
            }

            CheckSchema(table);
            _ready = true;
        }
        finally
        {
            _readyGate.Release();
        }
    }

    private async Task<TableDescription> CreateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.CreateTableAsync(
                new CreateTableRequest
                {
                    TableName = Name,
                    BillingMode = BillingMode.PAY_PER_REQUEST,
                    AttributeDefinitions =
                    [
                        new AttributeDefinition(PartitionKey, ScalarAttributeType.S),
                        new AttributeDefinition(SortKey, ScalarAttributeType.S),
                        new AttributeDefinition(ExpiryPartition, ScalarAttributeType.S),
                        new AttributeDefinition(ExpiresAt, ScalarAttributeType.N),
                    ],
                    KeySchema = [new KeySchemaElement(PartitionKey, KeyType.HASH), new KeySchemaElement(SortKey, KeyType.RANGE)],
                    GlobalSecondaryIndexes =
                    [
                        new GlobalSecondaryIndex
                        {
                            IndexName = ExpiryIndex,
                            KeySchema = [new KeySchemaElement(ExpiryPartition, KeyType.HASH), new KeySchemaElement(ExpiresAt, KeyType.RANGE)],
                            Projection = new Projection { ProjectionType = ProjectionType.KEYS_ONLY },
                        },
                    ],
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceInUseException)
        {
            // Another client created it at the same moment: wait for it like for our own.
        }
        catch (Exception e) when (Map(e, null, cancellationToken) is { } mapped)
        {
            throw mapped;
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            TableDescription table;
            try
            {
                table = (await _client.DescribeTableAsync(new DescribeTableRequest { TableName = Name }, cancellationToken).ConfigureAwait(false)).Table;
            }
            catch (Exception e) when (Map(e, null, cancellationToken) is { } mapped)
            {
                throw mapped;
            }

            if (table.TableStatus == TableStatus.ACTIVE)
            {
                await EnableAwsTtlAsync(cancellationToken).ConfigureAwait(false);
                return table;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new KvUnavailableException(Backend, Endpoint, null, "The table was created but did not become ACTIVE within two minutes; try again later.");
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    // DynamoDB's own TTL is a backstop that removes expired items long after Valkeyrie hides them. Endpoints without the
    // API (dynalite) still work: Valkeyrie's sweepers remove expired keys either way.
    private async Task EnableAwsTtlAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.UpdateTimeToLiveAsync(
                new UpdateTimeToLiveRequest
                {
                    TableName = Name,
                    TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = AwsTtl, Enabled = true },
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonDynamoDBException e) when (e.ErrorCode is "UnknownOperationException" or "ValidationException")
        {
            // Not supported by this endpoint, or already enabled.
        }
    }

    private void CheckSchema(TableDescription table)
    {
        bool Has(List<KeySchemaElement>? schema, string hash, string range) =>
            schema is { Count: 2 }
            && schema.Exists(k => k.AttributeName == hash && k.KeyType == KeyType.HASH)
            && schema.Exists(k => k.AttributeName == range && k.KeyType == KeyType.RANGE);

        var index = table.GlobalSecondaryIndexes?.Find(i => i.IndexName == ExpiryIndex);
        if (!Has(table.KeySchema, PartitionKey, SortKey) || index is null || !Has(index.KeySchema, ExpiryPartition, ExpiresAt))
        {
            throw new KvConfigurationException(
                $"{Backend} at {Endpoint}: the table exists but does not have the schema Valkeyrie needs: {Description}. Use another table name or recreate it (createTable=true creates a missing table).");
        }
    }

    /// <summary>Maps a client failure; null when it must propagate as is (the caller's cancellation).</summary>
    public KvException? Map(Exception exception, string? key, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        // Our own errors pass through; a failed condition or a cancelled transaction is an answer the caller handles.
        if (exception is KvException or ConditionalCheckFailedException or TransactionCanceledException)
        {
            return null;
        }

        switch (exception)
        {
            case ResourceNotFoundException:
                return new KvConfigurationException(
                    $"{Backend} at {Endpoint}: the table does not exist. Create it with {Description}, or add createTable=true to the connection string (CreateTable option) to let Valkeyrie create it.",
                    exception);
            case AmazonServiceException service when IsAuthentication(service):
                return new KvAuthenticationException(Backend, Endpoint, key,
                    $"DynamoDB rejected the credentials or permissions ({service.ErrorCode}). Check the access key, region and the IAM permissions listed in docs/backends/dynamodb.md.",
                    exception);
            case AmazonServiceException service when service.ErrorCode == "ValidationException" && service.Message.Contains("size", StringComparison.OrdinalIgnoreCase):
                return new KvLimitExceededException(Backend, Endpoint, key,
                    "The item is larger than DynamoDB allows (400 KB per item, about 350 KB per value or per write with Valkeyrie's change log). Store a smaller value.",
                    exception);
            case AmazonServiceException service when IsTransient(service):
                return new KvUnavailableException(Backend, Endpoint, key,
                    $"DynamoDB is throttling or temporarily failing ({service.ErrorCode}) even after retries with backoff; retry later or raise the table's capacity.",
                    exception);
            case AmazonServiceException service when service.InnerException is HttpRequestException or IOException or SocketException:
            case HttpRequestException or IOException or SocketException or TimeoutException or OperationCanceledException:
                return new KvUnavailableException(Backend, Endpoint, key,
                    "DynamoDB could not be reached or did not answer in time; check the endpoint and network, then retry.",
                    exception);
            case AmazonClientException client when client.Message.Contains("credential", StringComparison.OrdinalIgnoreCase):
                return new KvAuthenticationException(Backend, Endpoint, key,
                    "No AWS credentials were found: set accessKey/secretKey, or configure AWS's default chain (environment variables, profile, instance role).",
                    exception);
            case AmazonClientException:
                return new KvUnavailableException(Backend, Endpoint, key,
                    "DynamoDB could not be reached or did not answer in time; check the endpoint and network, then retry.",
                    exception);
            case AmazonServiceException service:
                return new KvException(Backend, Endpoint, key, $"DynamoDB refused the request ({service.ErrorCode}): {service.Message}", exception);
            default:
                return null;
        }
    }

    private static bool IsAuthentication(AmazonServiceException e) =>
        e.StatusCode == System.Net.HttpStatusCode.Forbidden
        || e.ErrorCode is "UnrecognizedClientException" or "AccessDeniedException" or "InvalidSignatureException"
            or "MissingAuthenticationTokenException" or "ExpiredTokenException" or "IncompleteSignatureException";

    private static bool IsTransient(AmazonServiceException e) =>
        (int)e.StatusCode >= 500
        || e is ProvisionedThroughputExceededException or RequestLimitExceededException or InternalServerErrorException
        || e.ErrorCode is "ThrottlingException" or "ServiceUnavailable" or "TransactionConflictException" or "LimitExceededException";
}
