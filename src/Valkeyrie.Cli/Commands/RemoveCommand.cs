using System.CommandLine;

namespace Valkeyrie.Cli.Commands;

/// <summary><c>rm KEY [-r] [--yes]</c>: delete a key, or a whole tree after confirmation.</summary>
internal sealed class RemoveCommand : ICliCommand
{
    public Command Build(GlobalOptions globals, CliConsole console)
    {
        var key = new Argument<string>("key") { Description = "The key (or, with -r, the prefix) to delete." };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "Delete the key and everything under it." };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation." };
        var command = new Command("rm", "Delete a key or a tree.") { key, recursive, yes };
        command.SetAction(async (parse, ct) =>
        {
            await using var store = globals.OpenStore(parse);
            var name = parse.GetValue(key)!;
            if (!parse.GetValue(recursive))
            {
                return await store.DeleteAsync(name, ct)
                    ? ExitCodes.Ok
                    : throw new CliException(ExitCodes.NotFoundOrConflict, $"key '{KvKeys.Normalize(name)}' not found.");
            }

            var prefix = KvKeys.NormalizePrefix(name);
            var count = (await store.ListAsync(prefix, cancellationToken: ct)).Count + (prefix.Length > 0 && await store.ExistsAsync(prefix, cancellationToken: ct) ? 1 : 0);
            if (count == 0)
            {
                throw new CliException(ExitCodes.NotFoundOrConflict, $"nothing to delete under '{prefix}'.");
            }

            if (!parse.GetValue(yes))
            {
                if (!console.Interactive)
                {
                    throw new CliException(ExitCodes.Usage, $"refusing to delete {Counts.Keys(count)} under '{prefix}' without confirmation: add --yes.");
                }

                await console.Error.WriteAsync($"Delete {Counts.Keys(count)} under '{(prefix.Length == 0 ? "(everything)" : prefix)}'? [y/N] ");
                using var reader = new StreamReader(console.Input, leaveOpen: true);
                if ((await reader.ReadLineAsync(ct))?.Trim().ToLowerInvariant() is not ("y" or "yes"))
                {
                    throw new CliException(ExitCodes.NotFoundOrConflict, "not confirmed; nothing deleted.");
                }
            }

            var deleted = await store.DeleteTreeAsync(prefix, ct);
            await console.Error.WriteLineAsync($"deleted {Counts.Keys(deleted)}.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
