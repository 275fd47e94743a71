namespace Valkeyrie.Testing.Conformance.Configuration;

/// <summary>
/// The configuration provider across a server restart: it keeps the last values while the store is down, and the
/// change made once the server is back reaches <c>IOptionsMonitor&lt;T&gt;</c> without a restart of the application.
/// A backend derives it in its restart collection (it stops the server).
/// </summary>
public abstract class KvConfigurationRestartConformance : KvConformanceBase
{
    /// <summary>Stops the server under test.</summary>
    protected abstract Task StopServerAsync();

    /// <summary>Starts the server again on the same port with the same data.</summary>
    protected abstract Task StartServerAsync();

    [Fact]
    public async Task Keeps_the_last_values_while_the_store_is_down_and_reloads_what_changed_after()
    {
        await Store.PutAsync(K("svc/name"), V("before"));
        await Store.PutAsync(K("svc/port"), V("1"));
        await using var host = KvConfigurationHost.Start(Store, Root);
        Assert.Equal("before", host.Monitor.CurrentValue.Name);

        await StopServerAsync();
        try
        {
            Assert.Equal(("before", 1), (host.Monitor.CurrentValue.Name, host.Monitor.CurrentValue.Port));
            Assert.Equal("before", host.Configuration["svc:name"]);
        }
        finally
        {
            await StartServerAsync();
        }

        var writer = await ConnectExtraAsync();
        await RetryWhileUnavailableAsync(() => writer.PutAsync(K("svc/name"), V("after")));
        await RetryWhileUnavailableAsync(() => writer.PutAsync(K("svc/port"), V("2")));
        var changed = await host.Changes.NextMatchingAsync(s => s.Name == "after" && s.Port == 2, Patience * 2, "the writes made after the restart");
        Assert.Equal(TimeSpan.FromSeconds(5), changed.Timeout);
    }
}
