using System.CommandLine;
using Valkeyrie.Cli.Commands;

namespace Valkeyrie.Cli;

/// <summary>Builds the command tree and turns every failure into one line on stderr and a documented exit code.</summary>
internal static class CliApp
{
    public const string StoreVariable = "VALKEYRIE_STORE";
    public const string DefaultStoreFile = "valkeyrie.db";
    public const string DefaultStore = "litedb:./" + DefaultStoreFile;

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var globals = new GlobalOptions(console);
        var root = new RootCommand("valkeyrie: one command line for configuration in Consul, etcd, ZooKeeper, Redis, DynamoDB and LiteDB.");
        root.Options.Add(globals.Store);
        root.Options.Add(globals.Verbose);
        foreach (var command in new ICliCommand[]
        {
            new GetCommand(), new PutCommand(), new RemoveCommand(), new ListCommand(), new WatchCommand(),
            new LockCommand(), new ImportCommand(), new ExportCommand(), new CopyCommand(),
        })
        {
            root.Subcommands.Add(command.Build(globals, console));
        }

        // No response files: with them an argument such as '@/etc/x' (a key starting with '@') made the parser read that
        // file, and an unreadable path escaped as an exception (found by the CLI argument fuzzer).
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
        {
            // One mistake often yields several parse errors ('frob' is both an unknown token and a missing command):
            // the first names what was typed, the rest only restate it.
            await console.Error.WriteLineAsync(parse.UnmatchedTokens.Count > 0
                ? $"valkeyrie: unknown command or argument '{parse.UnmatchedTokens[0]}'."
                : $"valkeyrie: {parse.Errors[0].Message}");

            await console.Error.WriteLineAsync("Run 'valkeyrie --help' for usage.");
            return ExitCodes.Usage;
        }

        var verbose = parse.GetValue(globals.Verbose);
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = console.Error, Error = console.Error }, cancellationToken);
        }
        catch (Exception e)
        {
            var (code, message) = Describe(e);
            await console.Error.WriteLineAsync($"valkeyrie: {message}");
            if (verbose)
            {
                await console.Error.WriteLineAsync(e.ToString());
            }

            return code;
        }
    }

    private static (int Code, string Message) Describe(Exception e) => e switch
    {
        CliException cli => (cli.ExitCode, cli.Message),
        KvConfigurationException => (ExitCodes.Usage, e.Message),
        ArgumentException => (ExitCodes.Usage, e.Message),
        KvUnavailableException => (ExitCodes.Unavailable, e.Message),
        KvOutcomeUnknownException => (ExitCodes.OutcomeUnknown, e.Message),
        TimeoutException => (ExitCodes.Unavailable, e.Message),
        KvException => (ExitCodes.StoreError, e.Message),
        OperationCanceledException => (ExitCodes.Unavailable, "cancelled."),
        IOException or UnauthorizedAccessException => (ExitCodes.StoreError, e.Message),
        System.Text.Json.JsonException => (ExitCodes.Usage, $"invalid JSON: {e.Message}"),
        _ => (ExitCodes.StoreError, $"{e.GetType().Name}: {e.Message}"),
    };
}
