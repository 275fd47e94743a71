using System.CommandLine;
using System.Text;

namespace Valkeyrie.Cli.Commands;

/// <summary><c>export [--prefix P] [--format nested|flat] [FILE]</c>: the keys under a prefix as JSON, to a file or stdout.</summary>
internal sealed class ExportCommand : ICliCommand
{
    public Command Build(GlobalOptions globals, CliConsole console)
    {
        var file = new Argument<FileInfo?>("file") { Description = "Where to write (default: stdout).", Arity = ArgumentArity.ZeroOrOne };
        var prefix = new Option<string>("--prefix", "-p") { Description = "What to export (default: everything)." };
        var format = new Option<string>("--format") { Description = "nested (appsettings-style, the default) or flat ({\"a/b\": \"v\"})." };
        format.AcceptOnlyFromAmong("nested", "flat");
        var command = new Command("export", "Export the keys under a prefix as JSON.") { file, prefix, format };
        command.SetAction(async (parse, ct) =>
        {
            var root = KvKeys.NormalizePrefix(parse.GetValue(prefix) ?? string.Empty);
            await using var store = globals.OpenStore(parse);
            var keys = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in await store.ListAsync(root, cancellationToken: ct))
            {
                if (!ValueText.TryDecode(pair.Value, out var text))
                {
                    throw new CliException(ExitCodes.StoreError, $"key '{pair.Key}' holds binary data, which JSON export keeps only as text; export a narrower prefix.");
                }

                keys[root.Length == 0 ? pair.Key : pair.Key[(root.Length + 1)..]] = text;
            }

            var json = JsonTree.ToText(keys, parse.GetValue(format) == "flat");
            if (parse.GetValue(file) is { } output)
            {
                await File.WriteAllTextAsync(output.FullName, json + "\n", new UTF8Encoding(false), ct);
                await console.Error.WriteLineAsync($"exported {Counts.Keys(keys.Count)} to {output.FullName}.");
            }
            else
            {
                await console.WriteLineAsync(json, ct);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
