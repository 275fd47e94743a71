using Valkeyrie.DynamoDB;
using Valkeyrie.Testing.Servers;
using Valkeyrie.Testing.Servers.Fixtures;

namespace Valkeyrie.DynamoDB.Tests;

/// <summary>One dynalite server shared by every test of the collection (they use separate key roots).</summary>
[CollectionDefinition(Name)]
public sealed class DynaliteCollection : ICollectionFixture<DynaliteServerFixture>
{
    public const string Name = "dynalite";
}

/// <summary>The restart tests stop their server, so they get one of their own.</summary>
[CollectionDefinition(Name)]
public sealed class DynaliteRestartCollection : ICollectionFixture<DynaliteServerFixture>
{
    public const string Name = "dynalite-restart";
}

/// <summary>How the tests connect: dummy credentials (the local servers check none), fast polling, the table created on first use.</summary>
internal static class DynamoDbTarget
{
    public const string Table = "valkeyrie-tests";

    public static DynamoDbKvStoreOptions Options(
        Uri serviceUrl, string table = Table, bool createTable = true, int? pageSize = null, DynamoDbCommitMode commitMode = DynamoDbCommitMode.Auto) => new()
    {
        Table = table,
        ServiceUrl = serviceUrl,
        Region = DynaliteServer.Region,
        AccessKey = "test-access-key",
        SecretKey = "test-secret-key-never-shown",
        CreateTable = createTable,
        PollInterval = TimeSpan.FromMilliseconds(100),
        PageSize = pageSize,
        Timeout = TimeSpan.FromSeconds(2),
        CommitMode = commitMode,
    };

    public static Task<IKvStore> ConnectAsync(ServerProcess server, string table = Table) =>
        Task.FromResult<IKvStore>(new DynamoDbKvStore(Options(ServiceUrl(server), table)));

    /// <summary>
    /// A table of the test's own, for moto: its TransactWriteItems deep-copies the whole table first (to roll back on
    /// cancellation), so on one table shared by the whole run every transaction would get slower than the last.
    /// </summary>
    public static string NewTable() => $"valkeyrie-{Guid.NewGuid():N}";

    /// <summary>A raw DynamoDB API call (as the AWS CLI makes it) to a dynalite or moto server.</summary>
    public static Task<HttpResponseMessage> SendAsync(ServerProcess server, string operation, string jsonBody) => server switch
    {
        DynaliteServer dynalite => dynalite.SendAsync(operation, jsonBody),
        MotoServer moto => moto.SendAsync(operation, jsonBody),
        _ => throw new ArgumentException($"{server.Name} does not speak the DynamoDB API.", nameof(server)),
    };

    public static Uri ServiceUrl(ServerProcess server) => new($"http://{server.Host}:{server.Port}");
}
