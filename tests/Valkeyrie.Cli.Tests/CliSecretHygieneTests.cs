namespace Valkeyrie.Cli.Tests;

/// <summary>
/// The tool as a separate process with secrets in $VALKEYRIE_STORE and on the command line: help pages, usage errors,
/// unreachable stores and --verbose stack traces never print them, and each mistake is one error line.
/// </summary>
public sealed class CliSecretHygieneTests
{
    private const string Password = "hunter2-redis-password";
    private const string UserPassword = "hunter2-user-password";
    private const string Token = "hunter2-consul-token";
    private const string EtcdPassword = "hunter2-etcd-password";

    // Port 1 on loopback: nothing listens, so the store is unreachable at once.
    private static readonly string EnvironmentStore = $"redis://user:{UserPassword}@127.0.0.1:1?password={Password}";

    public static TheoryData<string[]> Invocations => new()
    {
        new[] { "--help" },
        new[] { "get", "--help" },
        new[] { "put", "--help" },
        new[] { "ls", "--help" },
        new[] { "copy", "--help" },
        new[] { "import", "--help" },
        new[] { "frob" },
        new[] { "get" },
        new[] { "get", "x" },
        new[] { "get", "x", "--verbose" },
        new[] { "ls", "--keys-only", "--verbose" },
        new[] { "get", "x", "--store", $"redis://127.0.0.1:1?password={Password}&pasword=typo" },
        new[] { "copy", $"consul://127.0.0.1:1?token={Token}", $"etcd://root:{EtcdPassword}@127.0.0.1:1", "--verbose" },
    };

    [Theory]
    [MemberData(nameof(Invocations))]
    public async Task Help_and_error_paths_never_print_a_secret(string[] args)
    {
        var result = await CliRun.ProcessAsync(EnvironmentStore, args);
        var output = result.Stdout + result.Stderr;
        foreach (var secret in new[] { Password, UserPassword, Token, EtcdPassword })
        {
            Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
        }

        if (result.ExitCode != 0)
        {
            // One mistake, one error line (the --verbose stack trace follows it on lines of its own).
            Assert.Single(result.Stderr.Split('\n'), line => line.StartsWith("valkeyrie: ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task An_unknown_command_is_one_error_naming_it()
    {
        var result = await CliRun.ProcessAsync(EnvironmentStore, "frob");
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("valkeyrie: unknown command or argument 'frob'.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_store_or_variable_the_default_litedb_file_is_created_in_the_working_directory_and_announced_once()
    {
        var directory = Directory.CreateTempSubdirectory("valkeyrie-cli-default-").FullName;
        try
        {
            var first = await CliRun.ProcessWithoutStoreAsync(directory, "put", "k", "v");
            Assert.Equal(0, first.ExitCode);
            Assert.Contains("creating", first.Stderr, StringComparison.Ordinal);
            Assert.Contains("valkeyrie.db", first.Stderr, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(directory, "valkeyrie.db")));

            var second = await CliRun.ProcessWithoutStoreAsync(directory, "get", "k");
            Assert.Equal("v", second.Stdout);
            Assert.Equal(string.Empty, second.Stderr);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
