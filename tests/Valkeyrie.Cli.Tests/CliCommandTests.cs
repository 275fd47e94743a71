using System.Text.Json;

namespace Valkeyrie.Cli.Tests;

/// <summary>
/// Every command against one backend. A backend's subclass supplies the connection string; each test works
/// under its own prefix.
/// </summary>
public abstract class CliCommandTests
{
    protected string Root { get; } = $"cli/{Guid.NewGuid():N}";

    protected abstract string Store { get; }

    protected string K(string relative) => $"{Root}/{relative}";

    protected Task<CliResult> Run(params string[] args) => CliRun.InProcessAsync(Store, null, args);

    protected Task<CliResult> RunWithStdin(string stdin, params string[] args) => CliRun.InProcessAsync(Store, stdin, args);

    [Fact]
    public async Task Put_refuses_an_empty_value_unless_asked()
    {
        var refused = await RunWithStdin(string.Empty, "put", K("empty"));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--empty", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, (await Run("get", K("empty"))).ExitCode);

        Assert.Equal(0, (await RunWithStdin(string.Empty, "put", K("empty"), "--empty")).ExitCode);
        var get = await Run("get", K("empty"));
        Assert.Equal(0, get.ExitCode);
        Assert.Equal(string.Empty, get.Stdout);
    }

    [Fact]
    public async Task Ls_keys_only_leaves_every_value_out()
    {
        await Run("put", K("api/key"), "sk-live-secret-value");
        foreach (var format in new[] { "--keys-only", "--no-values" })
        {
            foreach (var extra in new[] { Array.Empty<string>(), ["--tree"], ["--json"] })
            {
                var list = await Run(["ls", Root, format, .. extra]);
                Assert.Equal(0, list.ExitCode);
                Assert.Contains("key", list.Stdout, StringComparison.Ordinal);
                Assert.DoesNotContain("sk-live-secret-value", list.Stdout, StringComparison.Ordinal);
            }
        }

        Assert.Contains("sk-live-secret-value", (await Run("ls", Root)).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_then_get_prints_the_raw_value()
    {
        Assert.Equal(0, (await Run("put", K("db/host"), "db.internal")).ExitCode);
        var get = await Run("get", K("db/host"));
        Assert.Equal(0, get.ExitCode);
        Assert.Equal("db.internal", get.Stdout);
    }

    [Fact]
    public async Task Put_reads_the_value_from_stdin_and_from_a_file()
    {
        Assert.Equal(0, (await RunWithStdin("from stdin\n", "put", K("stdin"))).ExitCode);
        Assert.Equal("from stdin\n", (await Run("get", K("stdin"))).Stdout);

        var file = Path.GetTempFileName();
        await File.WriteAllBytesAsync(file, [0, 1, 2, 255]);
        Assert.Equal(0, (await Run("put", K("file"), "--file", file)).ExitCode);
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, (await Run("get", K("file"))).StdoutBytes);
        File.Delete(file);
    }

    [Fact]
    public async Task Get_json_includes_the_index_and_cas_uses_it()
    {
        await Run("put", K("cas"), "1");
        var json = JsonDocument.Parse((await Run("get", K("cas"), "--json")).Stdout).RootElement;
        Assert.Equal("1", json.GetProperty("value").GetString());
        var index = json.GetProperty("index").GetUInt64();

        Assert.Equal(0, (await Run("put", K("cas"), "2", "--cas", index.ToString())).ExitCode);
        var conflict = await Run("put", K("cas"), "3", "--cas", index.ToString());
        Assert.Equal(1, conflict.ExitCode);
        Assert.Contains("was modified", conflict.Stderr, StringComparison.Ordinal);
        Assert.Equal("2", (await Run("get", K("cas"))).Stdout);

        Assert.Equal(1, (await Run("put", K("cas"), "x", "--create")).ExitCode);
        Assert.Equal(0, (await Run("put", K("created"), "x", "--create")).ExitCode);
    }

    [Fact]
    public async Task Put_with_ttl_expires()
    {
        Assert.Equal(0, (await Run("put", K("ttl"), "brief", "--ttl", "1s")).ExitCode);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await Run("get", K("ttl"))).ExitCode == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the key with --ttl 1s never expired");
            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task Missing_key_exits_1_with_a_clear_message()
    {
        var get = await Run("get", K("nope"));
        Assert.Equal(1, get.ExitCode);
        Assert.Equal($"valkeyrie: key '{K("nope")}' not found.", get.Stderr.Trim());
        Assert.Equal(1, (await Run("rm", K("nope"))).ExitCode);
    }

    [Fact]
    public async Task Rm_recursive_needs_yes_when_not_interactive()
    {
        await Run("put", K("tree/a"), "1");
        await Run("put", K("tree/b/c"), "2");
        var refused = await Run("rm", K("tree"), "-r");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--yes", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, (await Run("rm", K("tree"), "-r", "--yes")).ExitCode);
        Assert.Equal(1, (await Run("get", K("tree/a"))).ExitCode);
    }

    [Fact]
    public async Task Ls_prints_a_table_a_tree_and_json()
    {
        await Run("put", K("ls/a"), "alpha");
        await Run("put", K("ls/b/c"), "gamma");
        var table = await Run("ls", K("ls"));
        Assert.Equal(0, table.ExitCode);
        Assert.Contains(K("ls/a"), table.Stdout, StringComparison.Ordinal);
        Assert.Contains("gamma", table.Stdout, StringComparison.Ordinal);

        var tree = await Run("ls", K("ls"), "--tree");
        Assert.Contains("c = gamma", tree.Stdout, StringComparison.Ordinal);

        var json = JsonDocument.Parse((await Run("ls", K("ls"), "--json")).Stdout).RootElement;
        Assert.Equal([K("ls/a"), K("ls/b/c")], json.EnumerateArray().Select(e => e.GetProperty("key").GetString()));
    }

    [Fact]
    public async Task Import_then_export_round_trips_nested_json()
    {
        const string input = """
            {
              "Db": {
                "Host": "db.internal",
                "Port": "5432",
                "Replicas": [
                  "r1",
                  "r2"
                ]
              },
              "Feature": {
                "Enabled": "true"
              }
            }
            """;
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, input);

        var dryRun = await Run("import", file, "--prefix", K("app"), "--dry-run");
        Assert.Equal(0, dryRun.ExitCode);
        Assert.Contains($"+ {K("app/Db/Host")}", dryRun.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, (await Run("get", K("app/Db/Host"))).ExitCode);

        Assert.Equal(0, (await Run("import", file, "--prefix", K("app"))).ExitCode);
        Assert.Equal("r2", (await Run("get", K("app/Db/Replicas/1"))).Stdout);

        var export = await Run("export", "--prefix", K("app"));
        Assert.Equal(0, export.ExitCode);
        Assert.Equal(Normalize(input), Normalize(export.Stdout));

        var again = await Run("import", file, "--prefix", K("app"));
        Assert.Contains("nothing to do", again.Stderr, StringComparison.Ordinal);
        File.Delete(file);
    }

    [Fact]
    public async Task Import_of_flat_json_and_export_flat()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, """{ "a/b": "1", "a/c": "2" }""");
        Assert.Equal(0, (await Run("import", file, "--prefix", K("flat"))).ExitCode);
        Assert.Equal("1", (await Run("get", K("flat/a/b"))).Stdout);
        var export = JsonDocument.Parse((await Run("export", "--prefix", K("flat"), "--format", "flat")).Stdout).RootElement;
        Assert.Equal("2", export.GetProperty("a/c").GetString());
        File.Delete(file);
    }

    [Fact]
    public async Task Bad_input_gets_the_documented_exit_codes()
    {
        Assert.Equal(2, (await Run("frobnicate")).ExitCode);
        Assert.Equal(2, (await Run("get", "a//b")).ExitCode);
        var unknown = await CliRun.InProcessAsync("mongo://h", null, "get", "x");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("Unknown store scheme 'mongo'", unknown.Stderr, StringComparison.Ordinal);
        var malformed = await CliRun.InProcessAsync("no-scheme", null, "get", "x");
        Assert.Equal(2, malformed.ExitCode);
        Assert.Equal(2, (await Run("put", K("x"), "v", "--ttl", "soon")).ExitCode);
    }

    private static string Normalize(string json) =>
        JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement);
}

public sealed class MemoryCliCommandTests : CliCommandTests
{
    protected override string Store => "memory://cli-tests";
}
