using Valkeyrie.Sections;

namespace Valkeyrie.Generators.IntegrationTests;

/// <summary>SaveAsync → LoadAsync through a store: one transaction, optimistic concurrency, stale keys deleted.</summary>
public sealed class StoreRoundTripTests
{
    private readonly DictionaryKvStore _store = new();

    [Fact]
    public async Task Every_supported_type_round_trips_through_the_store()
    {
        Assert.Equal(KvSaveResult.Saved, await Samples.Scalars().SaveAsync(_store));
        Assert.Equal(KvSaveResult.Saved, await Samples.Collections().SaveAsync(_store));
        Assert.Equal(KvSaveResult.Saved, await Samples.Record().SaveAsync(_store));
        Assert.Equal(KvSaveResult.Saved, await Samples.Json().SaveAsync(_store));

        Samples.AssertEqual(Samples.Scalars(), await ScalarSection.LoadAsync(_store));
        Samples.AssertEqual(Samples.Collections(), await CollectionSection.LoadAsync(_store));
        Assert.Equal(Samples.Record().Extra, (await RecordSection.LoadAsync(_store)).Extra);
        Samples.AssertEqual(Samples.Json(), await JsonSection.LoadAsync(_store));
        Assert.Equal(4, _store.Commits);
    }

    [Fact]
    public async Task Save_writes_the_section_in_one_transaction_and_leaves_other_keys_alone()
    {
        await _store.PutAsync("app/dbx/Port", "1"u8.ToArray());
        await _store.PutAsync("app/Name", "x"u8.ToArray());

        var result = await new DbSettings { Host = "db1", Replicas = ["r1", "r2"] }.SaveAsync(_store);

        Assert.Equal(KvSaveResult.Saved, result);
        Assert.Equal(1, _store.Commits);
        Assert.Equal("db1", _store.Text("app/db/Host"));
        Assert.Equal("r2", _store.Text("app/db/Replicas/1"));
        Assert.Equal("1", _store.Text("app/dbx/Port"));
        Assert.Equal("x", _store.Text("app/Name"));
    }

    [Fact]
    public async Task Removed_items_and_null_members_are_deleted()
    {
        await new DbSettings { Replicas = ["r1", "r2", "r3"], Password = "p", Routes = new() { ["a"] = ["b"] } }.SaveAsync(_store);

        var loaded = await DbSettings.LoadAsync(_store);
        loaded.Replicas.RemoveRange(1, 2);
        loaded.Password = null;
        Assert.Equal(KvSaveResult.Saved, await loaded.SaveAsync(_store));

        Assert.Equal(["app/db/ConnectTimeout", "app/db/Host", "app/db/Port", "app/db/Replicas/0", "app/db/Retry/Count", "app/db/Retry/Delay", "app/db/Routes", "app/db/pool-size"], _store.Keys("app/db"));
        Assert.Equal(["r1"], (await DbSettings.LoadAsync(_store)).Replicas);
    }

    [Fact]
    public async Task Concurrent_writer_makes_the_save_a_conflict_and_nothing_is_written()
    {
        await new DbSettings { Host = "original", Port = 1 }.SaveAsync(_store);
        var mine = await DbSettings.LoadAsync(_store);
        var theirs = await DbSettings.LoadAsync(_store);

        theirs.Port = 2;
        Assert.Equal(KvSaveResult.Saved, await theirs.SaveAsync(_store));
        mine.Host = "mine";
        mine.Replicas = ["new"];
        var result = await mine.SaveAsync(_store);

        Assert.Equal(KvSaveResult.Conflict, result);
        Assert.Equal("original", _store.Text("app/db/Host"));
        Assert.Equal("2", _store.Text("app/db/Port"));
        Assert.Null(_store.Text("app/db/Replicas/0"));
    }

    [Fact]
    public async Task Concurrent_creation_of_a_key_the_save_would_create_is_a_conflict()
    {
        await new DbSettings().SaveAsync(_store);
        var mine = await DbSettings.LoadAsync(_store);
        await _store.PutAsync("app/db/Password", "theirs"u8.ToArray());

        mine.Password = "mine";

        Assert.Equal(KvSaveResult.Conflict, await mine.SaveAsync(_store));
        Assert.Equal("theirs", _store.Text("app/db/Password"));
    }

    [Fact]
    public async Task An_instance_can_save_again_after_its_own_save()
    {
        var settings = await DbSettings.LoadAsync(_store);
        settings.Port = 10;
        Assert.Equal(KvSaveResult.Saved, await settings.SaveAsync(_store));

        settings.Port = 11;
        Assert.Equal(KvSaveResult.Saved, await settings.SaveAsync(_store));

        Assert.Equal("11", _store.Text("app/db/Port"));
    }

    [Fact]
    public async Task Explicit_versions_detect_conflicts_too()
    {
        await new DbSettings().SaveAsync(_store);
        var loaded = await DbSettings.LoadVersionedAsync(_store);
        await _store.PutAsync("app/db/Port", "9"u8.ToArray());

        var copy = new DbSettings { Port = 1 };

        Assert.Equal(KvSaveResult.Conflict, await copy.SaveAsync(_store, loaded.Version));
        Assert.Equal(KvSaveResult.Saved, await copy.SaveAsync(_store, null));
        Assert.Equal("1", _store.Text("app/db/Port"));
    }

    [Fact]
    public async Task Unchanged_values_are_not_rewritten()
    {
        await new DbSettings { Host = "h" }.SaveAsync(_store);
        var before = (await _store.GetAsync("app/db/Host"))!.LastIndex;

        var loaded = await DbSettings.LoadAsync(_store);
        loaded.Port = 99;
        await loaded.SaveAsync(_store);

        Assert.Equal(before, (await _store.GetAsync("app/db/Host"))!.LastIndex);
    }

    [Fact]
    public async Task Generic_code_loads_and_saves_through_the_interface()
    {
        static async Task<T> RoundTrip<T>(IKvStore store, T section)
            where T : class, IKvSection<T>
        {
            Assert.Equal(KvSaveResult.Saved, await KvSectionStore.SaveAsync(store, section));
            return await KvSectionStore.LoadAsync<T>(store);
        }

        var loaded = await RoundTrip(_store, new KebabSection { HTTPServerName = "generic" });

        Assert.Equal("generic", loaded.HTTPServerName);
    }
}
