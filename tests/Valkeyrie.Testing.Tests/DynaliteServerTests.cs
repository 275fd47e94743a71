using System.Net;
using Valkeyrie.Testing.Servers;

namespace Valkeyrie.Testing.Tests;

public sealed class DynaliteServerTests
{
    private const string Key = """{"TableName":"config","Key":{"k":{"S":"app/greeting"}}}""";

    [Fact]
    public async Task Serves_dynamodb_and_keeps_tables_and_items_across_stop_and_start()
    {
        var server = await DynaliteServer.StartNewAsync(new DynaliteServerOptions { TableStatusDelay = TimeSpan.Zero });
        try
        {
            Assert.Equal($"dynamodb://?serviceUrl=http://127.0.0.1:{server.Port}&region=us-east-1", server.ConnectionString);
            await SendOkAsync(server, "CreateTable", """
                {"TableName":"config","BillingMode":"PAY_PER_REQUEST",
                 "AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"}],
                 "KeySchema":[{"AttributeName":"k","KeyType":"HASH"}]}
                """);
            await WaitUntilActiveAsync(server);
            await SendOkAsync(server, "PutItem", """{"TableName":"config","Item":{"k":{"S":"app/greeting"},"v":{"S":"hello"}}}""");

            await RestartAssertions.StopThenStartOnSamePortAsync(server);
            Assert.Contains("\"hello\"", await SendOkAsync(server, "GetItem", Key));
        }
        finally
        {
            await RestartAssertions.DisposeRemovesEverythingAsync(server);
        }
    }

    private static async Task<string> SendOkAsync(DynaliteServer server, string operation, string body)
    {
        using var response = await server.SendAsync(operation, body);
        var content = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{operation}: {(int)response.StatusCode} {content}");
        return content;
    }

    private static async Task WaitUntilActiveAsync(DynaliteServer server)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!(await SendOkAsync(server, "DescribeTable", """{"TableName":"config"}""")).Contains("\"ACTIVE\""))
        {
            await Task.Delay(50, deadline.Token);
        }
    }
}
