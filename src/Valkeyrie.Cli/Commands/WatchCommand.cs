using System.CommandLine;
using System.Text.Json;

namespace Valkeyrie.Cli.Commands;

/// <summary><c>watch KEY [-r] [--json]</c>: print every change until Ctrl+C.</summary>
internal sealed class WatchCommand : ICliCommand
{
    public Command Build(GlobalOptions globals, CliConsole console)
    {
        var key = new Argument<string>("key") { Description = "The key to watch (with -r, the prefix; default: everything).", Arity = ArgumentArity.ZeroOrOne };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "Watch every key under the prefix." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per change (for scripts)." };
        var command = new Command("watch", "Print changes to a key or a tree until interrupted.") { key, recursive, json };
        command.SetAction(async (parse, ct) =>
        {
            await using var store = globals.OpenStore(parse);
            var asJson = parse.GetValue(json);
            try
            {
                if (parse.GetValue(recursive))
                {
                    await foreach (var change in store.WatchTreeAsync(parse.GetValue(key) ?? string.Empty, cancellationToken: ct))
                    {
                        await PrintAsync(console, change, asJson, ct);
                    }
                }
                else
                {
                    var name = KvKeys.Normalize(parse.GetValue(key)
                        ?? throw new CliException(ExitCodes.Usage, "watch needs a KEY, or -r to watch a prefix (everything when omitted)."));
                    await foreach (var pair in store.WatchAsync(name, cancellationToken: ct))
                    {
                        await PrintAsync(console, pair is null ? KvEvent.Delete(name, 0) : KvEvent.Put(pair), asJson, ct);
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl+C is how a watch is meant to end.
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task PrintAsync(CliConsole console, KvTreeChange change, bool asJson, CancellationToken ct)
    {
        if (change.IsSnapshot)
        {
            if (asJson)
            {
                await console.WriteLineAsync(ValueText.ToJsonLine(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("type", "snapshot");
                    w.WriteStartArray("pairs");
                    foreach (var pair in change.Snapshot)
                    {
                        ValueText.WritePair(w, pair);
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                }), ct);
                return;
            }

            await console.WriteLineAsync($"snapshot: {Counts.Keys(change.Snapshot.Count)}", ct);
            foreach (var pair in change.Snapshot)
            {
                await console.WriteLineAsync($"  {pair.Key} (index {pair.LastIndex}) = {ValueText.Preview(pair.Value)}", ct);
            }

            return;
        }

        foreach (var e in change.Events)
        {
            await PrintAsync(console, e, asJson, ct);
        }
    }

    private static Task PrintAsync(CliConsole console, KvEvent e, bool asJson, CancellationToken ct)
    {
        if (asJson)
        {
            return console.WriteLineAsync(ValueText.ToJsonLine(w => WriteEvent(w, e)), ct);
        }

        return console.WriteLineAsync(
            e.Pair is { } pair ? $"put {pair.Key} (index {pair.LastIndex}) = {ValueText.Preview(pair.Value)}" : $"delete {e.Key}",
            ct);
    }

    private static void WriteEvent(Utf8JsonWriter w, KvEvent e)
    {
        w.WriteStartObject();
        w.WriteString("type", e.Kind == KvEventKind.Put ? "put" : "delete");
        w.WriteString("key", e.Key);
        if (e.Pair is { } pair)
        {
            ValueText.WriteValue(w, pair.Value);
            w.WriteNumber("index", pair.LastIndex);
        }

        w.WriteEndObject();
    }
}
