namespace Valkeyrie.LiteDB.Tests;

public sealed class ConnectionStringTests
{
    [Fact]
    public void Parses_paths_and_parameters()
    {
        var options = LiteDbKvStoreOptions.Parse("litedb:/var/lib/app/config.db?password=p%40ss&readonly=true&pollInterval=100ms&timeout=2s&changeLogRevisions=50");
        Assert.Equal("/var/lib/app/config.db", options.FilePath);
        Assert.Equal("p@ss", options.Password);
        Assert.True(options.ReadOnly);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.PollInterval);
        Assert.Equal(TimeSpan.FromSeconds(2), options.OperationTimeout);
        Assert.Equal(50, options.ChangeLogRevisions);
        Assert.Equal("./config.db", LiteDbKvStoreOptions.Parse("litedb:./config.db").FilePath);
        Assert.Equal(TimeSpan.FromMilliseconds(250), LiteDbKvStoreOptions.Parse("litedb:config.db").PollInterval);
    }

    [Theory]
    [InlineData("litedb:./config.db?pollIntervall=1s", "pollIntervall")]
    [InlineData("litedb:", "file path")]
    [InlineData("litedb://host:1234/config.db", "not a host")]
    [InlineData("litedb:./config.db?pollInterval=1h", "poll interval")]
    [InlineData("litedb:./config.db?readonly=maybe", "readonly")]
    public void Rejects_bad_connection_strings_naming_the_problem(string connectionString, string named)
    {
        var error = Assert.Throws<KvConfigurationException>(() => LiteDbKvStoreOptions.Parse(connectionString));
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public async Task The_factory_creates_a_store_for_the_scheme()
    {
        using var database = new TempDatabase();
        await using var store = KvStoreFactory.Create($"litedb:{database.FilePath}");
        var typed = Assert.IsType<LiteDbKvStore>(store);
        Assert.Equal(database.FilePath, typed.FilePath);
        await store.PutAsync("a", "1"u8.ToArray());
        Assert.True(File.Exists(database.FilePath));
    }
}
