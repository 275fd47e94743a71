using System.Text.Json;

namespace Valkeyrie.Cli.Tests;

/// <summary>
/// The tool as separate processes against a store that several processes can share (LiteDB file, servers):
/// a watch sees another process's write, lock passes its command's exit code through and excludes others.
/// </summary>
public abstract class CliProcessTests
{
    protected string Root { get; } = $"cli-process/{Guid.NewGuid():N}";

    protected abstract string Store { get; }

    protected string K(string relative) => $"{Root}/{relative}";

    [Fact]
    public async Task Watch_prints_a_change_made_by_another_process()
    {
        using var watch = CliRun.Start(Store, "watch", Root, "-r", "--json");
        try
        {
            var snapshot = await ReadLineAsync(watch, "the snapshot line");
            Assert.Equal("snapshot", JsonDocument.Parse(snapshot).RootElement.GetProperty("type").GetString());

            var put = await CliRun.ProcessAsync(Store, "put", K("from-other-process"), "hello");
            Assert.Equal(0, put.ExitCode);
            var line = JsonDocument.Parse(await ReadLineAsync(watch, "the put line")).RootElement;
            Assert.Equal("put", line.GetProperty("type").GetString());
            Assert.Equal(K("from-other-process"), line.GetProperty("key").GetString());
            Assert.Equal("hello", line.GetProperty("value").GetString());
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
            await watch.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Put_from_stdin_of_a_process()
    {
        using var put = CliRun.Start(Store, "put", K("piped"));
        await put.StandardInput.WriteAsync("piped value");
        put.StandardInput.Close();
        await put.WaitForExitAsync();
        Assert.Equal(0, put.ExitCode);
        Assert.Equal("piped value", (await CliRun.ProcessAsync(Store, "get", K("piped"))).Stdout);
    }

    [Fact]
    public async Task Lock_runs_the_command_and_passes_its_exit_code()
    {
        var result = await CliRun.ProcessAsync(Store, "lock", K("job"), "--", "sh", "-c", "exit 7");
        Assert.Equal(7, result.ExitCode);
        Assert.Equal(1, (await CliRun.ProcessAsync(Store, "get", K("job"))).ExitCode);
    }

    [Fact]
    public async Task Lock_excludes_a_second_holder_until_the_first_finishes()
    {
        using var holder = CliRun.Start(Store, "lock", K("exclusive"), "--", "sh", "-c", "echo held; sleep 4");
        try
        {
            Assert.Equal("held", await ReadLineAsync(holder, "the first holder's output"));
            var blocked = await CliRun.ProcessAsync(Store, "lock", K("exclusive"), "--timeout", "1s", "--", "true");
            Assert.Equal(1, blocked.ExitCode);
            Assert.Contains("not acquired", blocked.Stderr, StringComparison.Ordinal);
            await holder.WaitForExitAsync();
            Assert.Equal(0, holder.ExitCode);
            Assert.Equal(0, (await CliRun.ProcessAsync(Store, "lock", K("exclusive"), "--timeout", "30s", "--", "true")).ExitCode);
        }
        finally
        {
            if (!holder.HasExited)
            {
                holder.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task<string> ReadLineAsync(System.Diagnostics.Process process, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            return await process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new Xunit.Sdk.XunitException($"The process ended before printing {what}: {await process.StandardError.ReadToEndAsync()}");
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}.");
        }
    }
}
