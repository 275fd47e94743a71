using System.CommandLine;
using Spectre.Console;

namespace Valkeyrie.Cli.Commands;

/// <summary><c>ls [PREFIX] [--tree | --json] [--keys-only]</c>: the keys under a prefix as a table, a tree or JSON, with or without values.</summary>
internal sealed class ListCommand : ICliCommand
{
    public Command Build(GlobalOptions globals, CliConsole console)
    {
        var prefix = new Argument<string?>("prefix") { Description = "The prefix to list (default: everything).", Arity = ArgumentArity.ZeroOrOne };
        var tree = new Option<bool>("--tree") { Description = "Show the keys as a tree." };
        var json = new Option<bool>("--json") { Description = "Print a JSON array of {key, value, index}." };
        // Values can be secrets (API keys, passwords): a listing someone will paste or screen-share can leave them out.
        var keysOnly = new Option<bool>("--keys-only", "--no-values") { Description = "Leave values out: keys, indexes and sizes only." };
        var command = new Command("ls", "List the keys under a prefix.") { prefix, tree, json, keysOnly };
        command.SetAction(async (parse, ct) =>
        {
            await using var store = globals.OpenStore(parse);
            var root = KvKeys.NormalizePrefix(parse.GetValue(prefix) ?? string.Empty);
            var values = !parse.GetValue(keysOnly);
            var pairs = await store.ListAsync(root, cancellationToken: ct);
            if (parse.GetValue(json))
            {
                await console.WriteLineAsync(ValueText.ToJsonLine(w =>
                {
                    w.WriteStartArray();
                    foreach (var pair in pairs)
                    {
                        if (values)
                        {
                            ValueText.WritePair(w, pair);
                        }
                        else
                        {
                            w.WriteStartObject();
                            w.WriteString("key", pair.Key);
                            w.WriteNumber("index", pair.LastIndex);
                            w.WriteNumber("size", pair.Value.Length);
                            w.WriteEndObject();
                        }
                    }

                    w.WriteEndArray();
                }), ct);
                return ExitCodes.Ok;
            }

            var ansi = console.CreateAnsi();
            if (parse.GetValue(tree))
            {
                ansi.Write(BuildTree(root, pairs, values));
            }
            else
            {
                var table = new Table().AddColumns("Key", "Index", "Size");
                if (values)
                {
                    table.AddColumn("Value");
                }

                foreach (var pair in pairs)
                {
                    string[] cells =
                    [
                        Markup.Escape(pair.Key),
                        pair.LastIndex.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        pair.Value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ];
                    table.AddRow(values ? [.. cells, Markup.Escape(ValueText.Preview(pair.Value))] : cells);
                }

                ansi.Write(table);
            }

            await console.Error.WriteLineAsync($"{Counts.Keys(pairs.Count)}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Tree BuildTree(string root, IReadOnlyList<KvPair> pairs, bool values)
    {
        var top = new Tree(Markup.Escape(root.Length == 0 ? "/" : root));
        var nodes = new Dictionary<string, IHasTreeNodes>(StringComparer.Ordinal) { [string.Empty] = top };
        foreach (var pair in pairs)
        {
            var relative = root.Length == 0 ? pair.Key : pair.Key[(root.Length + 1)..];
            var segments = relative.Split(KvKeys.Separator);
            var path = string.Empty;
            for (var i = 0; i < segments.Length; i++)
            {
                var parent = nodes[path];
                path = path.Length == 0 ? segments[i] : $"{path}/{segments[i]}";
                if (!nodes.ContainsKey(path))
                {
                    var label = i == segments.Length - 1 && values
                        ? $"{Markup.Escape(segments[i])} = [grey]{Markup.Escape(ValueText.Preview(pair.Value))}[/]"
                        : Markup.Escape(segments[i]);
                    nodes[path] = parent.AddNode(label);
                }
            }
        }

        return top;
    }
}
