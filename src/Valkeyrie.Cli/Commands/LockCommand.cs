using System.CommandLine;
using System.Diagnostics;

namespace Valkeyrie.Cli.Commands;

/// <summary><c>lock KEY [--ttl T] [--timeout T] -- COMMAND…</c>: run a command while holding a lock; exit with its code.</summary>
internal sealed class LockCommand : ICliCommand
{
    public Command Build(GlobalOptions globals, CliConsole console)
    {
        var key = new Argument<string>("key") { Description = "The lock's key." };
        var run = new Argument<string[]>("command") { Description = "The command to run while holding the lock (after --).", Arity = ArgumentArity.OneOrMore };
        var ttl = new Option<string?>("--ttl") { Description = "The lock's lease time (default 15s): how long it outlives a crashed holder." };
        var timeout = new Option<string?>("--timeout") { Description = "Give up (exit 1) if the lock is not acquired within this time." };
        var value = new Option<string?>("--value") { Description = "The value stored at the lock key while held (default: host and process id)." };
        var command = new Command("lock", "Run a command while holding a distributed lock.") { key, run, ttl, timeout, value };
        command.SetAction(async (parse, ct) =>
        {
            var argv = parse.GetValue(run)!;
            var options = new KvLockOptions
            {
                Ttl = PutCommand.ParseTtl(parse.GetValue(ttl)) ?? KvLockOptions.DefaultTtl,
                Value = System.Text.Encoding.UTF8.GetBytes(parse.GetValue(value) ?? $"{Environment.MachineName}:{Environment.ProcessId}"),
            };
            var wait = PutCommand.ParseTtl(parse.GetValue(timeout));
            await using var store = globals.OpenStore(parse);
            var theLock = store.CreateLock(parse.GetValue(key)!, options);

            using var acquireTimeout = wait is { } w ? new CancellationTokenSource(w) : new CancellationTokenSource();
            using var acquireToken = CancellationTokenSource.CreateLinkedTokenSource(ct, acquireTimeout.Token);
            IKvLockLease lease;
            try
            {
                lease = await theLock.AcquireAsync(acquireToken.Token);
            }
            catch (OperationCanceledException) when (acquireTimeout.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                throw new CliException(ExitCodes.NotFoundOrConflict, $"lock '{theLock.Key}' not acquired within {wait}.");
            }

            await using (lease)
            {
                return await RunChildAsync(argv, lease, console, ct);
            }
        });
        return command;
    }

    private static async Task<int> RunChildAsync(string[] argv, IKvLockLease lease, CliConsole console, CancellationToken ct)
    {
        var start = new ProcessStartInfo(argv[0]) { UseShellExecute = false };
        foreach (var argument in argv.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start) ?? throw new CliException(ExitCodes.Usage, $"could not start '{argv[0]}'.");
        using var lost = lease.Lost.Register(() => console.Error.WriteLine($"valkeyrie: lock '{lease.Key}' was lost while '{argv[0]}' was running."));
        try
        {
            await child.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: the child got the same signal from the terminal; give it a moment, then stop it, then release.
            if (!child.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                child.Kill(entireProcessTree: true);
            }

            await child.WaitForExitAsync(CancellationToken.None);
        }

        return child.ExitCode;
    }
}
