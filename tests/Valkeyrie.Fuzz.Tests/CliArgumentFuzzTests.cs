using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using Valkeyrie.Cli;

namespace Valkeyrie.Fuzz.Tests;

/// <summary>
/// Random command lines through the real command tree on an in-process memory store: every run ends with a documented
/// exit code and a one-line message, never an escaped exception, a stack trace without <c>--verbose</c>, or a raw .NET
/// exception name. Commands that run programs (<c>lock</c>) or touch files are given only safe arguments.
/// </summary>
public sealed partial class CliArgumentFuzzTests
{
    private static readonly Gen<string> s_token = Gen.Frequency<string>(
        (5, FuzzGen.Key),
        (3, Gen.OneOf(
            "--json", "-r", "--recursive", "--tree", "--yes", "-y", "--create", "--ttl", "--cas", "--timeout", "--value", "--prefix",
            "-p", "--format", "--prune", "--dry-run", "--help", "-h", "-?", "--version", "--verbose", "--unknown", "-", "---", "-rf")),
        (2, Gen.OneOf(
            "0", "-1", "18446744073709551616", "1e300s", "250ms", "5s", "-5s", "nested", "flat", "auto", "xml", "", " ", "\"", "'",
            "%", "$HOME", "`id`", "$(id)", ";", "|", "&&", "a=b", "_valkeyrie/locks/x", "app/../etc")));

    private static readonly Gen<string> s_stdin = Gen.OneOf(
        "", "{}", "{\"a\":1}", "[", "]", "{\"a\":{\"b\":\"c\"}}", "null", "{\"_valkeyrie\":{\"x\":1}}", "{\"a//b\":1}", "{\"a\":[1,2]}",
        "{\"a\":\"\\u0000\"}", "{\"a\":", "\uFEFF{}", "value\n", new string('{', 5_000));

    private static readonly Gen<string[]> s_arguments = Gen.Frequency<string[]>(
        (8, Gen.Select(Gen.OneOf("get", "put", "rm", "ls", "watch", "nonsense", "GET", ""), s_token.Array[0, 5], (command, tokens) => (string[])[command, .. tokens])),
        (1, Gen.Select(Gen.OneOf("export", "import"), Gen.OneOf<string[]>([], ["-"], ["--format", "flat", "-"], ["-p", "app", "-"], ["--format", "xml", "-"], ["--prune", "-"]),
            (command, tokens) => (string[])[command, .. tokens])),
        (1, Gen.OneOf<string[]>(
            ["copy", "memory://", "memory://"], ["copy", "memory://", "nonsense://x"], ["copy", "memory://"], ["copy", "memory://", "redis://[x"],
            ["lock"], ["lock", "k"], ["lock", "a//b", "--", "true"], ["--help"], ["--version"], [])));

    [Fact]
    public async Task Random_command_lines_end_with_a_documented_exit_code_and_a_clean_message()
    {
        await Gen.Select(s_arguments, s_stdin).SampleAsync(
            async (arguments, stdin) =>
            {
                var output = new MemoryStream();
                var error = new StringWriter();
                var console = new CliConsole(new MemoryStream(Encoding.UTF8.GetBytes(stdin)), output, error, interactive: false);
                using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(500)); // ends watches
                var code = await CliApp.RunAsync([.. arguments, "--store", "memory://"], console, timeout.Token);
                var stderr = error.ToString();
                Assert.InRange(code, ExitCodes.Ok, ExitCodes.StoreError);
                if (!arguments.Contains("--verbose"))
                {
                    Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
                }

                Assert.False(RawException().IsMatch(stderr), $"a raw .NET exception reached the user: {FuzzGen.Describe(stderr)}");
            },
            iter: FuzzGen.LocalIterations,
            threads: 1,
            print: t => $"[{string.Join(", ", t.Item1.Select(a => $"'{FuzzGen.Describe(a)}'"))}] stdin '{FuzzGen.Describe(t.Item2)}'");
    }

    [Theory]
    [InlineData("@/")] // found by the fuzzer: read as a response file, UnauthorizedAccessException escaped
    [InlineData("@/etc/hostname")]
    public async Task An_argument_starting_with_an_at_sign_is_a_key_not_a_response_file(string key)
    {
        var store = $"memory://cli-at-{Guid.NewGuid():N}";
        await using var keep = KvStoreFactory.Create(store); // keeps the shared memory store alive between the runs
        var error = new StringWriter();
        var put = await CliApp.RunAsync(["put", key, "v", "--store", store], new CliConsole(new MemoryStream(), new MemoryStream(), error, false));
        Assert.Equal(ExitCodes.Ok, put);
        Assert.Equal("v", (await keep.GetAsync(key))?.ValueAsString);
    }

    // The CLI's last-resort branch prints "valkeyrie: TypeName: message" for exceptions it does not know.
    [GeneratedRegex(@"valkeyrie: [A-Za-z.]*Exception: ")]
    private static partial Regex RawException();
}
