using System.Net;
using Valkeyrie.Testing.Servers;

namespace Valkeyrie.Testing.Tests;

public sealed class MotoServerTests
{
    private const string Key = """{"TableName":"config","Key":{"k":{"S":"app/greeting"}}}""";

    [Fact]
    public async Task Serves_dynamodb_with_transactions_keeps_data_while_frozen_and_loses_it_on_restart()
    {
        var server = await MotoServer.StartNewAsync();
        try
        {
            Assert.Equal($"dynamodb://?serviceUrl=http://127.0.0.1:{server.Port}&region=us-east-1", server.ConnectionString);
            await SendOkAsync(server, "CreateTable", """
                {"TableName":"config","BillingMode":"PAY_PER_REQUEST",
                 "AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"}],
                 "KeySchema":[{"AttributeName":"k","KeyType":"HASH"}]}
                """);
            await SendOkAsync(server, "TransactWriteItems", """
                {"TransactItems":[{"Put":{"TableName":"config","Item":{"k":{"S":"app/greeting"},"v":{"S":"hello"}},
                                         "ConditionExpression":"attribute_not_exists(k)"}}]}
                """);

            // A failed condition cancels the whole transaction and says which item failed.
            using (var cancelled = await server.SendAsync("TransactWriteItems", """
                {"TransactItems":[{"Put":{"TableName":"config","Item":{"k":{"S":"app/other"}}}},
                                  {"ConditionCheck":{"TableName":"config","Key":{"k":{"S":"app/greeting"}},"ConditionExpression":"attribute_not_exists(k)"}}]}
                """))
            {
                Assert.Equal(HttpStatusCode.BadRequest, cancelled.StatusCode);
                var body = await cancelled.Content.ReadAsStringAsync();
                Assert.Contains("TransactionCanceledException", body, StringComparison.Ordinal);
                Assert.Contains("ConditionalCheckFailed", body, StringComparison.Ordinal);
            }

            Assert.DoesNotContain("app/other", await SendOkAsync(server, "GetItem", """{"TableName":"config","Key":{"k":{"S":"app/other"}}}"""));

            server.Freeze();
            try
            {
                using var shortWait = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => server.SendAsync("GetItem", Key, shortWait.Token));
            }
            finally
            {
                server.Resume();
            }

            Assert.Contains("\"hello\"", await SendOkAsync(server, "GetItem", Key));

            await RestartAssertions.StopThenStartOnSamePortAsync(server);
            Assert.DoesNotContain("config", await SendOkAsync(server, "ListTables", "{}"));
        }
        finally
        {
            await RestartAssertions.DisposeRemovesEverythingAsync(server);
        }
    }

    private static async Task<string> SendOkAsync(MotoServer server, string operation, string body)
    {
        using var response = await server.SendAsync(operation, body);
        var content = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{operation}: {(int)response.StatusCode} {content}");
        return content;
    }
}
