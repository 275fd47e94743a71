using System.CommandLine;

namespace Valkeyrie.Cli.Commands;

/// <summary><c>put KEY [VALUE] [--file F] [--empty] [--ttl T] [--cas INDEX | --create]</c>: the value from the argument, a file or stdin.</summary>
internal sealed class PutCommand : ICliCommand
{
    public Command Build(GlobalOptions globals, CliConsole console)
    {
        var key = new Argument<string>("key") { Description = "The key to write." };
        var value = new Argument<string?>("value") { Description = "The value; omit it to read --file or stdin.", Arity = ArgumentArity.ZeroOrOne };
        var file = new Option<FileInfo?>("--file", "-f") { Description = "Read the value from this file." };
        var ttl = new Option<string?>("--ttl") { Description = "Expire the key after this long (250ms, 30s, 5m, 1h)." };
        var cas = new Option<ulong?>("--cas") { Description = "Write only if the key's index is still this one." };
        var create = new Option<bool>("--create") { Description = "Write only if the key does not exist yet." };
        var json = new Option<bool>("--json") { Description = "Print the written key and its new index as JSON." };
        var empty = new Option<bool>("--empty") { Description = "Allow writing an empty value (refused otherwise: a forgotten VALUE must not blank a key)." };
        var command = new Command("put", "Write a key.") { key, value, file, empty, ttl, cas, create, json };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(cas) is not null && parse.GetValue(create))
            {
                throw new CliException(ExitCodes.Usage, "--cas and --create cannot be combined: --create means 'expect no key'.");
            }

            var bytes = await ReadValueAsync(parse.GetValue(value), parse.GetValue(file), console, ct);
            if (bytes.Length == 0 && !parse.GetValue(empty))
            {
                throw new CliException(ExitCodes.Usage, "the value is empty (no VALUE argument, and --file or stdin gave nothing); pass --empty to write an empty value on purpose.");
            }

            var options = new KvWriteOptions { Ttl = ParseTtl(parse.GetValue(ttl)) };
            await using var store = globals.OpenStore(parse);
            var name = parse.GetValue(key)!;
            KvPair written;
            if (parse.GetValue(cas) is { } expected || parse.GetValue(create))
            {
                var index = parse.GetValue(cas) ?? 0;
                var result = await store.AtomicPutAsync(name, bytes, index, options, ct);
                written = result.Pair ?? throw new CliException(ExitCodes.NotFoundOrConflict, result.Outcome switch
                {
                    KvCasOutcome.KeyExists => $"key '{KvKeys.Normalize(name)}' already exists (--create).",
                    KvCasOutcome.KeyNotFound => $"key '{KvKeys.Normalize(name)}' not found (--cas {index}).",
                    _ => $"key '{KvKeys.Normalize(name)}' was modified: its index is no longer {index}. Read it again and retry.",
                });
            }
            else
            {
                written = await store.PutAsync(name, bytes, options, ct);
            }

            if (parse.GetValue(json))
            {
                await console.WriteLineAsync(ValueText.ToJsonLine(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("key", written.Key);
                    w.WriteNumber("index", written.LastIndex);
                    w.WriteEndObject();
                }), ct);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    internal static TimeSpan? ParseTtl(string? text) =>
        text is null ? null
        : KvConnectionString.TryParseDuration(text, out var ttl) && ttl > TimeSpan.Zero ? ttl
        : throw new CliException(ExitCodes.Usage, $"--ttl '{text}' is not a positive duration such as 250ms, 30s, 5m or 1h.");

    private static async Task<byte[]> ReadValueAsync(string? value, FileInfo? file, CliConsole console, CancellationToken ct)
    {
        if (value is not null && file is not null)
        {
            throw new CliException(ExitCodes.Usage, "give the value either as an argument or with --file, not both.");
        }

        if (value is not null)
        {
            return System.Text.Encoding.UTF8.GetBytes(value);
        }

        if (file is not null)
        {
            return file.Exists
                ? await File.ReadAllBytesAsync(file.FullName, ct)
                : throw new CliException(ExitCodes.Usage, $"file '{file.FullName}' does not exist.");
        }

        using var buffer = new MemoryStream();
        await console.Input.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }
}
