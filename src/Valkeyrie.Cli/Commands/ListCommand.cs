using System.CommandLine;
using Spectre.Console;

namespace Valkeyrie.Cli.Commands;

/// <summary><c>ls [PREFIX] [--tree | --json]</c>: the keys under a prefix as a table, a tree or JSON.</summary>
internal sealed class ListCommand : ICliCommand
{
    public Command Build(GlobalOptions globals, CliConsole console)
    {
        var prefix = new Argument<string>("prefix") { Description = "The prefix to list (default: everything).", DefaultValueFactory = _ => string.Empty };
        var tree = new Option<bool>("--tree") { Description = "Show the keys as a tree." };
        var json = new Option<bool>("--json") { Description = "Print a JSON array of {key, value, index}." };
        var command = new Command("ls", "List the keys under a prefix.") { prefix, tree, json };
        command.SetAction(async (parse, ct) =>
        {
            await using var store = globals.OpenStore(parse);
            var root = KvKeys.NormalizePrefix(parse.GetValue(prefix)!);
            var pairs = await store.ListAsync(root, cancellationToken: ct);
            if (parse.GetValue(json))
            {
                await console.WriteLineAsync(ValueText.ToJsonLine(w =>
                {
                    w.WriteStartArray();
                    foreach (var pair in pairs)
                    {
                        ValueText.WritePair(w, pair);
                    }

                    w.WriteEndArray();
                }), ct);
                return ExitCodes.Ok;
            }

            var ansi = console.CreateAnsi();
            if (parse.GetValue(tree))
            {
                ansi.Write(BuildTree(root, pairs));
            }
            else
            {
                var table = new Table().AddColumns("Key", "Index", "Size", "Value");
                foreach (var pair in pairs)
                {
                    table.AddRow(
                        Markup.Escape(pair.Key),
                        pair.LastIndex.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        pair.Value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        Markup.Escape(ValueText.Preview(pair.Value)));
                }

                ansi.Write(table);
            }

            await console.Error.WriteLineAsync($"{pairs.Count} keys.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Tree BuildTree(string root, IReadOnlyList<KvPair> pairs)
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
                    var label = i == segments.Length - 1
                        ? $"{Markup.Escape(segments[i])} = [grey]{Markup.Escape(ValueText.Preview(pair.Value))}[/]"
                        : Markup.Escape(segments[i]);
                    nodes[path] = parent.AddNode(label);
                }
            }
        }

        return top;
    }
}
