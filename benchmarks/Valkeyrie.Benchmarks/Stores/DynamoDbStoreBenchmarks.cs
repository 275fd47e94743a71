using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Valkeyrie.Benchmarks.Infrastructure;

namespace Valkeyrie.Benchmarks.Stores;

/// <summary>
/// DynamoDB on dynalite, where the store runs in log mode: the AWS SDK on a table of its own with the usual single-table shape, partition key
/// <c>pk</c> and sort key <c>sk</c>: GetItem, PutItem, a paged Query on a sort-key prefix, and a conditional PutItem
/// on a version attribute for CAS. <see cref="DynamoDbMotoStoreBenchmarks"/> runs the same cases on moto.
/// </summary>
public class DynamoDbStoreBenchmarks : StoreBenchmarks
{
    private const string Table = "raw";
    private AmazonDynamoDBClient _client = null!;
    private long _casVersion;
    private long _transactions;

    /// <inheritdoc />
    protected override Backend Backend => Backend.DynamoDb;

    /// <inheritdoc />
    protected override async Task RawSetupAsync(string connectionString, bool seed)
    {
        var serviceUrl = KvConnectionString.Parse(connectionString).Get("serviceUrl")!;
        _client = new AmazonDynamoDBClient(new BasicAWSCredentials("bench", "bench"), new AmazonDynamoDBConfig { ServiceURL = serviceUrl, AuthenticationRegion = "us-east-1" });
        try
        {
            await _client.CreateTableAsync(new CreateTableRequest
            {
                TableName = Table,
                KeySchema = [new("pk", KeyType.HASH), new("sk", KeyType.RANGE)],
                AttributeDefinitions = [new("pk", ScalarAttributeType.S), new("sk", ScalarAttributeType.S)],
                BillingMode = BillingMode.PAY_PER_REQUEST,
            });
        }
        catch (ResourceInUseException)
        {
            // Created by an earlier case in this process.
        }

        while ((await _client.DescribeTableAsync(Table)).Table.TableStatus != TableStatus.ACTIVE)
        {
            await Task.Delay(50);
        }

        await PutAsync("raw/get", Value, version: 1);
        for (var i = 0; seed && i < ListedKeys; i++)
        {
            await PutAsync(ListedKey("raw/list", i), Value, version: 1);
        }

        await PutAsync("raw/cas", Value, version: 1);
        _casVersion = 1;
    }

    /// <inheritdoc />
    protected override Task RawCleanupAsync()
    {
        _client.Dispose();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override async Task<int> RawGetAsync()
    {
        var response = await _client.GetItemAsync(new GetItemRequest { TableName = Table, Key = Key("raw/get"), ConsistentRead = true });
        return (int)response.Item["v"].B.Length;
    }

    /// <inheritdoc />
    protected override Task RawPutAsync() => PutAsync("raw/put", Value, version: 1);

    /// <inheritdoc />
    protected override async Task<int> RawListAsync()
    {
        var count = 0;
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await _client.QueryAsync(new QueryRequest
            {
                TableName = Table,
                KeyConditionExpression = "pk = :pk AND begins_with(sk, :prefix)",
                ExpressionAttributeValues = new() { [":pk"] = new AttributeValue("kv"), [":prefix"] = new AttributeValue("raw/list/") },
                ConsistentRead = true,
                ExclusiveStartKey = start,
            });
            count += response.Items.Count;
            start = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);
        return count;
    }

    /// <inheritdoc />
    protected override async Task RawCasAsync(byte[] value)
    {
        var next = _casVersion + 1;
        var item = Item("raw/cas", value, next);
        await _client.PutItemAsync(new PutItemRequest
        {
            TableName = Table,
            Item = item,
            ConditionExpression = "ver = :expected",
            ExpressionAttributeValues = new() { [":expected"] = new AttributeValue { N = _casVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
        });
        _casVersion = next;
    }

    /// <summary>
    /// What a native-mode write sends, done raw: one TransactWriteItems with a conditional log-like item and the data item,
    /// so the cost of the endpoint's transactions is told apart from Valkeyrie's own.
    /// </summary>
    protected Task RawTransactPutAsync()
    {
        var entry = Key("raw/log/" + Interlocked.Increment(ref _transactions).ToString("D20", System.Globalization.CultureInfo.InvariantCulture));
        return _client.TransactWriteItemsAsync(new TransactWriteItemsRequest
        {
            TransactItems =
            [
                new TransactWriteItem { Put = new Put { TableName = Table, Item = entry, ConditionExpression = "attribute_not_exists(sk)" } },
                new TransactWriteItem { Put = new Put { TableName = Table, Item = Item("raw/put", Value, version: 1) } },
            ],
        });
    }

    private static Dictionary<string, AttributeValue> Key(string key) => new() { ["pk"] = new AttributeValue("kv"), ["sk"] = new AttributeValue(key) };

    private static Dictionary<string, AttributeValue> Item(string key, byte[] value, long version)
    {
        var item = Key(key);
        item["v"] = new AttributeValue { B = new MemoryStream(value) };
        item["ver"] = new AttributeValue { N = version.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        return item;
    }

    private Task<PutItemResponse> PutAsync(string key, byte[] value, long version) =>
        _client.PutItemAsync(new PutItemRequest { TableName = Table, Item = Item(key, value, version) });
}
