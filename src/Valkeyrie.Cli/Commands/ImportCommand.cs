using System.CommandLine;
using System.Text;
using System.Text.Json;

namespace Valkeyrie.Cli.Commands;

/// <summary><c>import FILE [--prefix P] [--format auto|nested|flat] [--prune] [--dry-run]</c>: JSON into keys, shown as a diff, written in one transaction.</summary>
internal sealed class ImportCommand : ICliCommand
{
    public Command Build(GlobalOptions globals, CliConsole console)
    {
        var file = new Argument<FileInfo>("file") { Description = "The JSON file ('-' for stdin)." };
        var prefix = new Option<string>("--prefix", "-p") { Description = "Where to import (default: the root)." };
        var format = new Option<string>("--format") { Description = "nested (appsettings-style), flat ({\"a/b\": \"v\"}) or auto (default: guess from the file)." };
        format.AcceptOnlyFromAmong("auto", "nested", "flat");
        var prune = new Option<bool>("--prune") { Description = "Also delete keys under the prefix that the file does not have." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show the diff, write nothing." };
        var command = new Command("import", "Import a JSON file under a prefix in one transaction.") { file, prefix, format, prune, dryRun };
        command.SetAction(async (parse, ct) =>
        {
            var input = parse.GetValue(file)!;
            using var document = await ReadDocumentAsync(input, console, ct);
            var flat = parse.GetValue(format) switch
            {
                "flat" => true,
                "nested" => false,
                _ => JsonTree.LooksFlat(document),
            };
            var root = KvKeys.NormalizePrefix(parse.GetValue(prefix) ?? string.Empty);
            var wanted = JsonTree.Read(document, flat).ToDictionary(p => root.Length == 0 ? p.Key : $"{root}/{p.Key}", p => p.Value, StringComparer.Ordinal);

            await using var store = globals.OpenStore(parse);
            var existing = (await store.ListAsync(root, cancellationToken: ct)).ToDictionary(p => p.Key, StringComparer.Ordinal);
            var transaction = new KvTransaction();
            int added = 0, changed = 0, removed = 0;
            var diff = new StringBuilder();
            foreach (var (key, value) in wanted.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                var bytes = Encoding.UTF8.GetBytes(value);
                if (!existing.TryGetValue(key, out var current))
                {
                    diff.Append("+ ").AppendLine(key);
                    transaction.CheckAbsent(key).Put(key, bytes);
                    added++;
                }
                else if (!current.Value.Span.SequenceEqual(bytes))
                {
                    diff.Append("~ ").AppendLine(key);
                    transaction.CheckIndex(key, current.LastIndex).Put(key, bytes);
                    changed++;
                }
            }

            if (parse.GetValue(prune))
            {
                foreach (var stale in existing.Values.Where(p => !wanted.ContainsKey(p.Key)))
                {
                    diff.Append("- ").AppendLine(stale.Key);
                    transaction.CheckIndex(stale.Key, stale.LastIndex).Delete(stale.Key);
                    removed++;
                }
            }

            await console.WriteLineAsync(diff.ToString().TrimEnd('\n'), ct);
            var summary = $"{added} to add, {changed} to change, {removed} to delete, {wanted.Count - added - changed} unchanged.";
            if (parse.GetValue(dryRun) || added + changed + removed == 0)
            {
                await console.Error.WriteLineAsync((parse.GetValue(dryRun) ? "dry run: " : "nothing to do: ") + summary);
                return ExitCodes.Ok;
            }

            if (!await store.CommitAsync(transaction, ct))
            {
                throw new CliException(ExitCodes.NotFoundOrConflict, "the keys changed while importing; nothing was written. Run the import again.");
            }

            await console.Error.WriteLineAsync("imported: " + summary);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<JsonDocument> ReadDocumentAsync(FileInfo input, CliConsole console, CancellationToken ct)
    {
        var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        if (input.Name == "-")
        {
            return await JsonDocument.ParseAsync(console.Input, options, ct);
        }

        if (!input.Exists)
        {
            throw new CliException(ExitCodes.Usage, $"file '{input.FullName}' does not exist.");
        }

        await using var stream = input.OpenRead();
        return await JsonDocument.ParseAsync(stream, options, ct);
    }
}
