namespace Valkeyrie.Cli.Tests;

/// <summary>One LiteDB file per test class, shared by the in-process runs and the spawned tool processes.</summary>
public sealed class LiteDbFile : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("valkeyrie-cli-").FullName;

    public string Store => $"litedb:{Path.Combine(_directory, "cli.db")}";

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

public sealed class LiteDbCliCommandTests(LiteDbFile file) : CliCommandTests, IClassFixture<LiteDbFile>
{
    protected override string Store => file.Store;
}

public sealed class LiteDbCliProcessTests(LiteDbFile file) : CliProcessTests, IClassFixture<LiteDbFile>
{
    protected override string Store => file.Store;
}
