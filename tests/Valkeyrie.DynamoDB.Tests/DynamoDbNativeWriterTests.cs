using System.Text.Json;
using System.Text.Json.Nodes;
using Valkeyrie.Testing.Conformance.NativeWriter;
using Valkeyrie.Testing.Servers;
using Valkeyrie.Testing.Servers.Fixtures;

namespace Valkeyrie.DynamoDB.Tests;

/// <summary>
/// The DynamoDB API (PutItem, DeleteItem, GetItem over HTTP, as the AWS CLI sends them) as the native writer. DynamoDB
/// has no change feed Valkeyrie can follow on these endpoints, so the periodic reconciliation carries native writes.
/// </summary>
public abstract class DynamoDbNativeWriterTests : KvNativeWriterConformance
{
    /// <summary>The server under test.</summary>
    protected abstract ServerProcess Server { get; }

    /// <summary>The table under test.</summary>
    protected abstract string Table { get; }

    protected override TimeSpan ReconcileInterval => TimeSpan.FromSeconds(1);

    protected override Task<IKvStore> ConnectAsync() => DynamoDbTarget.ConnectAsync(Server, Table);

    /// <summary>The call docs/operators.md gives: the item with its value as a String and no <c>ver</c>.</summary>
    protected override Task NativePutAsync(string key, string value) =>
        SendAsync("PutItem", new JsonObject { ["TableName"] = Table, ["Item"] = Item(key, new JsonObject { ["v"] = new JsonObject { ["S"] = value } }) });

    protected override Task NativeDeleteAsync(string key) =>
        SendAsync("DeleteItem", new JsonObject { ["TableName"] = Table, ["Key"] = Item(key, []) });

    protected override async Task<string?> NativeGetAsync(string key)
    {
        var reply = await SendAsync("GetItem", new JsonObject { ["TableName"] = Table, ["Key"] = Item(key, []), ["ConsistentRead"] = true });
        return reply["Item"]?["v"]?["S"]?.GetValue<string>();
    }

    [Fact]
    public async Task An_item_with_a_version_above_the_log_head_is_adopted_and_later_writes_apply()
    {
        await Store.PutAsync(K("svc/name"), V("ours"));
        await using var running = StartHost(Store);
        await SendAsync("PutItem", new JsonObject
        {
            ["TableName"] = Table,
            ["Item"] = Item(K("svc/name"), new JsonObject { ["v"] = new JsonObject { ["S"] = "theirs" }, ["ver"] = new JsonObject { ["N"] = "999999999" } }),
        });
        await running.Changes.NextMatchingAsync(s => s.Name == "theirs", Patience, "the item written with a version above the log head");

        await Store.PutAsync(K("svc/name"), V("later"));
        Assert.Equal("later", (await Store.GetAsync(K("svc/name")))?.ValueAsString);
        await running.Changes.NextMatchingAsync(s => s.Name == "later", Patience, "a Valkeyrie write after the odd version");
        await AssertANewInstanceAgreesAsync(running);
    }

    [Fact]
    public async Task Binary_values_written_natively_read_too_and_nothing_throws_a_raw_exception()
    {
        Assert.Empty(await Store.ListAsync(Root)); // creates the table
        await SendAsync("PutItem", new JsonObject
        {
            ["TableName"] = Table,
            ["Item"] = Item(K("svc/name"), new JsonObject { ["v"] = new JsonObject { ["B"] = Convert.ToBase64String("binary"u8.ToArray()) } }),
        });
        await SendAsync("PutItem", new JsonObject { ["TableName"] = Table, ["Item"] = Item(K("svc/port"), new JsonObject { ["ver"] = new JsonObject { ["S"] = "not a number" } }) });

        // Until a watch adopts them, unversioned items are invisible (not an exception) to plain reads.
        Assert.Empty(await Store.ListAsync(Root));
        Assert.Null(await Store.GetAsync(K("svc/name")));
        await using var running = StartHost(Store);
        Assert.Equal("binary", running.Monitor.CurrentValue.Name);
        Assert.Equal(2, (await Store.ListAsync(Root)).Count);
    }

    private static JsonObject Item(string key, JsonObject attributes)
    {
        attributes["pk"] = new JsonObject { ["S"] = "kv" };
        attributes["sk"] = new JsonObject { ["S"] = key };
        return attributes;
    }

    private async Task<JsonNode> SendAsync(string operation, JsonObject body)
    {
        using var response = await DynamoDbTarget.SendAsync(Server, operation, body.ToJsonString());
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{operation} failed: {text}");
        return JsonNode.Parse(text.Length == 0 ? "{}" : text) ?? new JsonObject();
    }
}

[Collection(DynaliteCollection.Name)]
public sealed class DynaliteNativeWriterTests(DynaliteServerFixture fixture) : DynamoDbNativeWriterTests
{
    protected override ServerProcess Server => fixture.Server;

    protected override string Table => DynamoDbTarget.Table;
}

[Collection(MotoCollection.Name)]
public sealed class MotoNativeWriterTests(MotoServerFixture fixture) : DynamoDbNativeWriterTests
{
    private readonly string _table = DynamoDbTarget.NewTable();

    protected override ServerProcess Server => fixture.Server;

    protected override string Table => _table;
}
