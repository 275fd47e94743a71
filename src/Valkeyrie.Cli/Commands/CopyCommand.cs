using System.CommandLine;
using Spectre.Console;

namespace Valkeyrie.Cli.Commands;

/// <summary><c>copy SOURCE_STORE DEST_STORE [--prefix P]</c>: migrate a tree between backends, then verify it.</summary>
internal sealed class CopyCommand : ICliCommand
{
    public Command Build(GlobalOptions globals, CliConsole console)
    {
        var source = new Argument<string>("source") { Description = "The source store's connection string." };
        var destination = new Argument<string>("destination") { Description = "The destination store's connection string." };
        var prefix = new Option<string>("--prefix", "-p") { Description = "What to copy (default: everything)." };
        var command = new Command("copy", "Copy the keys under a prefix from one store to another, then verify.") { source, destination, prefix };
        command.SetAction(async (parse, ct) =>
        {
            var root = KvKeys.NormalizePrefix(parse.GetValue(prefix) ?? string.Empty);
            await using var from = GlobalOptions.OpenStore(parse.GetValue(source)!);
            await using var to = GlobalOptions.OpenStore(parse.GetValue(destination)!);
            var pairs = await from.ListAsync(root, cancellationToken: ct);

            if (console.Interactive)
            {
                await console.CreateAnsi().Progress().StartAsync(async progress =>
                {
                    var task = progress.AddTask($"copying {Counts.Keys(pairs.Count)}", maxValue: Math.Max(1, pairs.Count));
                    foreach (var pair in pairs)
                    {
                        await to.PutAsync(pair.Key, pair.Value, cancellationToken: ct);
                        task.Increment(1);
                    }
                });
            }
            else
            {
                foreach (var pair in pairs)
                {
                    await to.PutAsync(pair.Key, pair.Value, cancellationToken: ct);
                }
            }

            // Verification reads everything back: a copy that silently dropped or mangled a key must not pass.
            var copied = (await to.ListAsync(root, cancellationToken: ct)).ToDictionary(p => p.Key, StringComparer.Ordinal);
            var mismatches = pairs.Where(p => !copied.TryGetValue(p.Key, out var c) || !c.Value.Span.SequenceEqual(p.Value.Span)).Select(p => p.Key).ToList();
            if (mismatches.Count > 0)
            {
                throw new CliException(ExitCodes.StoreError, $"verification failed for {Counts.Keys(mismatches.Count)}, first '{mismatches[0]}'.");
            }

            await console.Error.WriteLineAsync($"copied and verified {Counts.Keys(pairs.Count)}.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
