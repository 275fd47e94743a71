using Valkeyrie.Testing.Servers.Fixtures;

namespace Valkeyrie.Cli.Tests;

[CollectionDefinition(Name)]
public sealed class EtcdCliCollection : ICollectionFixture<EtcdServerFixture>
{
    public const string Name = "cli-etcd";
}

[Collection(EtcdCliCollection.Name)]
public sealed class EtcdCliCommandTests(EtcdServerFixture etcd) : CliCommandTests
{
    protected override string Store => etcd.Server.ConnectionString;
}

[Collection(EtcdCliCollection.Name)]
public sealed class EtcdCliProcessTests(EtcdServerFixture etcd) : CliProcessTests
{
    protected override string Store => etcd.Server.ConnectionString;
}

[Collection(EtcdCliCollection.Name)]
public sealed class EtcdCliCopyTests(EtcdServerFixture etcd) : IClassFixture<LiteDbFile>
{
    [Fact]
    public async Task Copy_from_a_litedb_file_to_etcd_verifies_every_key()
    {
        using var file = new LiteDbFile();
        var prefix = $"copy/{Guid.NewGuid():N}";
        for (var i = 0; i < 25; i++)
        {
            Assert.Equal(0, (await CliRun.InProcessAsync(file.Store, null, "put", $"{prefix}/k{i:D2}", $"v{i}")).ExitCode);
        }

        var copy = await CliRun.InProcessAsync(file.Store, null, "copy", file.Store, etcd.Server.ConnectionString, "--prefix", prefix);
        Assert.Equal(0, copy.ExitCode);
        Assert.Contains("copied and verified 25 keys", copy.Stderr, StringComparison.Ordinal);
        Assert.Equal("v24", (await CliRun.InProcessAsync(etcd.Server.ConnectionString, null, "get", $"{prefix}/k24")).Stdout);
    }
}
