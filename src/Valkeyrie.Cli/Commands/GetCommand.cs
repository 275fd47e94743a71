using System.CommandLine;

namespace Valkeyrie.Cli.Commands;

/// <summary><c>get KEY [--json]</c>: the raw value on stdout, or a JSON object with the index.</summary>
internal sealed class GetCommand : ICliCommand
{
    public Command Build(GlobalOptions globals, CliConsole console)
    {
        var key = new Argument<string>("key") { Description = "The key to read." };
        var json = new Option<bool>("--json") { Description = "Print {\"key\",\"value\",\"index\"} instead of the raw value." };
        var command = new Command("get", "Print a key's value.") { key, json };
        command.SetAction(async (parse, ct) =>
        {
            await using var store = globals.OpenStore(parse);
            var name = parse.GetValue(key)!;
            var pair = await store.GetAsync(name, cancellationToken: ct)
                ?? throw new CliException(ExitCodes.NotFoundOrConflict, $"key '{KvKeys.Normalize(name)}' not found.");
            if (parse.GetValue(json))
            {
                await console.WriteLineAsync(ValueText.ToJsonLine(w => ValueText.WritePair(w, pair)), ct);
            }
            else
            {
                await console.Output.WriteAsync(pair.Value, ct);
                // The raw bytes are the output for a pipe; at a terminal the prompt would otherwise follow the value.
                if (console.Interactive && !pair.Value.Span.EndsWith("\n"u8))
                {
                    await console.Output.WriteAsync("\n"u8.ToArray(), ct);
                }

                await console.Output.FlushAsync(ct);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
