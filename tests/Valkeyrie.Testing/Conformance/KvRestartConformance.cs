namespace Valkeyrie.Testing.Conformance;

/// <summary>
/// Fault tests for server backends: the server is stopped and started again (same port, same data) under live
/// watches. Nothing may be lost and every stream must resume by itself (docs/store-contract.md, Watches: "streams never end silently").
/// A backend derives it in a test collection of its own, since it stops the shared server.
/// </summary>
public abstract class KvRestartConformance : KvConformanceBase
{
    /// <summary>Stops the server under test (its port refuses connections afterwards).</summary>
    protected abstract Task StopServerAsync();

    /// <summary>Starts the server again on the same port with the same data.</summary>
    protected abstract Task StartServerAsync();

    [Fact]
    public async Task WatchTree_resumes_after_a_server_restart_without_losing_a_change()
    {
        await Store.PutAsync(K("restart/before"), V("1"));
        await using var watch = new StreamReader<KvTreeChange>(ct => Store.WatchTreeAsync(K("restart"), cancellationToken: ct));
        var state = Apply(new Dictionary<string, string>(), await watch.NextAsync(Patience, "the snapshot"));
        await Store.PutAsync(K("restart/before"), V("2"));
        state = await ApplyUntilAsync(watch, state, s => s.GetValueOrDefault(K("restart/before")) == "2", "the write before the restart");

        await StopServerAsync();
        await StartServerAsync();

        var writer = await ConnectExtraAsync();
        await RetryWhileUnavailableAsync(() => writer.PutAsync(K("restart/after"), V("3")));
        await RetryWhileUnavailableAsync(() => writer.DeleteAsync(K("restart/before")));
        await ApplyUntilAsync(
            watch,
            state,
            s => s.GetValueOrDefault(K("restart/after")) == "3" && !s.ContainsKey(K("restart/before")),
            "the writes after the restart");
    }

    [Fact]
    public async Task Watch_resumes_after_a_server_restart()
    {
        await Store.PutAsync(K("restart-key"), V("1"));
        await using var watch = new StreamReader<KvPair?>(ct => Store.WatchAsync(K("restart-key"), cancellationToken: ct));
        Assert.Equal("1", (await watch.NextAsync(Patience, "the current value"))?.ValueAsString);

        await StopServerAsync();
        await StartServerAsync();

        var writer = await ConnectExtraAsync();
        await RetryWhileUnavailableAsync(() => writer.PutAsync(K("restart-key"), V("2")));
        await watch.NextMatchingAsync(p => p?.ValueAsString == "2", Patience * 2, "the value written after the restart");
    }

    [Fact]
    public async Task Calls_fail_with_a_clear_unavailable_error_while_the_server_is_down()
    {
        await Store.PutAsync(K("down"), V("1"));
        await StopServerAsync();
        try
        {
            var error = await Assert.ThrowsAnyAsync<KvUnavailableException>(() => Store.GetAsync(K("down")).WaitAsync(Patience * 2));
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
        }
        finally
        {
            await StartServerAsync();
        }

        await RetryWhileUnavailableAsync(async () => Assert.Equal("1", (await Store.GetAsync(K("down")))?.ValueAsString));
    }

    private static Dictionary<string, string> Apply(Dictionary<string, string> state, KvTreeChange change)
    {
        if (change.IsSnapshot)
        {
            return change.Snapshot.ToDictionary(p => p.Key, p => p.ValueAsString);
        }

        foreach (var e in change.Events)
        {
            if (e.Kind == KvEventKind.Put)
            {
                state[e.Key] = e.Pair!.ValueAsString;
            }
            else
            {
                state.Remove(e.Key);
            }
        }

        return state;
    }

    private static async Task<Dictionary<string, string>> ApplyUntilAsync(
        StreamReader<KvTreeChange> watch, Dictionary<string, string> state, Func<Dictionary<string, string>, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Patience * 2;
        while (!done(state))
        {
            var left = deadline - DateTime.UtcNow;
            state = Apply(state, await watch.NextAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1), what));
        }

        return state;
    }
}
