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

public sealed class DefaultStoreTests
{
    [Fact]
    public async Task Without_store_option_or_variable_the_default_litedb_file_in_the_working_directory_is_used()
    {
        var directory = Directory.CreateTempSubdirectory("valkeyrie-cli-default-").FullName;
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardError = true, RedirectStandardOutput = true };
            start.ArgumentList.Add(CliRun.ToolPath);
            start.ArgumentList.Add("put");
            start.ArgumentList.Add("k");
            start.ArgumentList.Add("v");
            start.Environment.Remove("VALKEYRIE_STORE");
            using var process = System.Diagnostics.Process.Start(start)!;
            await process.WaitForExitAsync();
            Assert.Equal(0, process.ExitCode);
            Assert.True(File.Exists(Path.Combine(directory, "valkeyrie.db")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
