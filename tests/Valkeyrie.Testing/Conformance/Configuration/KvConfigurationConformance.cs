namespace Valkeyrie.Testing.Conformance.Configuration;

/// <summary>
/// The configuration provider on a real backend: a typed section loads, and every change another client makes reaches
/// <c>IOptionsMonitor&lt;T&gt;</c> through WatchTree — whole transactions as one change, deletes as defaults, no write lost.
/// Each backend's test project derives it once, next to the store conformance classes.
/// </summary>
public abstract class KvConfigurationConformance : KvConformanceBase
{
    [Fact]
    public async Task Typed_section_loads_and_reloads_a_change_made_by_another_client()
    {
        await Store.PutAsync(K("svc/name"), V("first"));
        await Store.PutAsync(K("svc/port"), V("8080"));
        await Store.PutAsync(K("svc/timeout"), V("00:00:30"));
        await using var host = KvConfigurationHost.Start(Store, Root);
        var loaded = host.Monitor.CurrentValue;
        Assert.Equal(("first", 8080, TimeSpan.FromSeconds(30)), (loaded.Name, loaded.Port, loaded.Timeout));

        var writer = await ConnectExtraAsync();
        await writer.PutAsync(K("svc/port"), V("9090"));

        var changed = await host.Changes.NextMatchingAsync(s => s.Port == 9090, Patience, "port 9090");
        Assert.Equal("first", changed.Name);
        Assert.Equal("9090", host.Configuration["svc:port"]);
    }

    [Fact]
    public async Task A_transaction_reaches_the_monitor_as_one_change()
    {
        await Store.PutAsync(K("svc/name"), V("before"));
        await using var host = KvConfigurationHost.Start(Store, Root);

        var writer = await ConnectExtraAsync();
        Assert.True(await writer.CommitAsync(new KvTransaction()
            .Put(K("svc/name"), V("after"))
            .Put(K("svc/port"), V("7"))
            .Put(K("svc/hosts/0"), V("a"))
            .Put(K("svc/hosts/1"), V("b"))));

        // The first value showing any part of the transaction must show all of it.
        var changed = await host.Changes.NextMatchingAsync(s => s.Name != "before" || s.Port != 80 || s.Hosts.Count > 0, Patience, "the transaction");
        Assert.Equal(("after", 7), (changed.Name, changed.Port));
        Assert.Equal(["a", "b"], changed.Hosts);
    }

    [Fact]
    public async Task Deletes_restore_defaults_and_a_deleted_tree_empties_collections()
    {
        await Store.PutAsync(K("svc/name"), V("set"));
        await Store.PutAsync(K("svc/limits/reads"), V("10"));
        await Store.PutAsync(K("svc/limits/writes"), V("20"));
        await using var host = KvConfigurationHost.Start(Store, Root);
        Assert.Equal(2, host.Monitor.CurrentValue.Limits.Count);

        var writer = await ConnectExtraAsync();
        Assert.True(await writer.DeleteAsync(K("svc/name")));
        await host.Changes.NextMatchingAsync(s => s.Name == "default", Patience, "the default name after the delete");

        Assert.Equal(2, await writer.DeleteTreeAsync(K("svc/limits")));
        await host.Changes.NextMatchingAsync(s => s.Limits.Count == 0, Patience, "empty limits after the tree delete");
        Assert.Null(host.Configuration["svc:limits:reads"]);
    }

    [Fact]
    public async Task Many_quick_writes_all_arrive_and_the_last_write_wins()
    {
        await using var host = KvConfigurationHost.Start(Store, Root);
        var writer = await ConnectExtraAsync();
        const int Keys = 40;
        for (var i = 0; i < Keys; i++)
        {
            await writer.PutAsync(K($"svc/limits/k{i:00}"), V(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            await writer.PutAsync(K("svc/port"), V((1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        var final = await host.Changes.NextMatchingAsync(s => s.Limits.Count == Keys && s.Port == 1000 + Keys - 1, Patience, $"all {Keys} keys and the last port");
        for (var i = 0; i < Keys; i++)
        {
            Assert.Equal(i, final.Limits[$"k{i:00}"]);
        }
    }
}
