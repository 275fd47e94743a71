using System.Text;
using Microsoft.Extensions.Configuration;
using Valkeyrie.Configuration.Tests.Support;

namespace Valkeyrie.Configuration.Tests;

public sealed class ProviderLoadTests
{
    [Fact]
    public async Task Store_keys_become_case_insensitive_configuration_keys()
    {
        await using var store = new MemoryKvStore();
        await store.PutAsync("app/db/host", "db.internal");
        await store.PutAsync("app/db", "has a value and children");
        await store.PutAsync("other/x", "1");

        using var root = Kv.Build(store, s => s.Prefixes.Add("app"));

        Assert.Equal("db.internal", root["app:db:host"]);
        Assert.Equal("db.internal", root["APP:DB:HOST"]);
        Assert.Equal("has a value and children", root["app:db"]);
        Assert.Null(root["other:x"]);
        Assert.Equal(ValkeyrieConfigurationState.Current, root.Provider().Status.State);
    }

    [Fact]
    public async Task No_prefix_loads_everything_and_TrimPrefix_removes_the_prefix()
    {
        await using var store = new MemoryKvStore();
        await store.PutAsync("app/db/host", "h");
        await store.PutAsync("other/x", "1");

        using var all = Kv.Build(store);
        Assert.Equal("h", all["app:db:host"]);
        Assert.Equal("1", all["other:x"]);

        using var trimmed = Kv.Build(store, s =>
        {
            s.Prefixes.Add("app");
            s.TrimPrefix = true;
        });
        Assert.Equal("h", trimmed["db:host"]);
        Assert.Null(trimmed["app:db:host"]);
    }

    [Fact]
    public async Task Later_prefixes_win_and_deleting_the_winner_reveals_the_other_value()
    {
        await using var store = new MemoryKvStore();
        await store.PutAsync("defaults/db/host", "default-host");
        await store.PutAsync("prod/db/host", "prod-host");
        using var root = Kv.Build(store, s =>
        {
            s.Prefixes.Add("defaults");
            s.Prefixes.Add("prod");
            s.TrimPrefix = true;
        });
        using var reloads = new ReloadRecorder(root);
        Assert.Equal("prod-host", root["db:host"]);

        await store.DeleteAsync("prod/db/host");
        Assert.Equal(["db:host"], await reloads.NextAsync("the delete"));
        Assert.Equal("default-host", root["db:host"]);
    }

    [Fact]
    public async Task Json_values_expand_into_sub_keys_when_asked()
    {
        await using var store = new MemoryKvStore();
        await store.PutAsync("app/db", """{"host":"h","ports":[1,2],"tls":{"on":true},"none":null}""");
        await store.PutAsync("app/text", "{not json");

        using var root = Kv.Build(store, s =>
        {
            s.Prefixes.Add("app");
            s.ExpandJsonValues = true;
        });

        Assert.Equal("h", root["app:db:host"]);
        Assert.Equal("2", root["app:db:ports:1"]);
        Assert.Equal("True", root["app:db:tls:on"]);
        Assert.Equal(string.Empty, root["app:db:none"]);
        Assert.Null(root["app:db"]);
        Assert.Equal("{not json", root["app:text"]);
    }

    [Fact]
    public async Task Connection_string_source_creates_and_disposes_its_own_store()
    {
        var name = $"cfg-{Guid.NewGuid():N}";
        await using var writer = MemoryKvStore.Shared(name);
        await writer.PutAsync("app/x", "1");

        var root = (ConfigurationRoot)new ConfigurationBuilder().AddValkeyrie($"memory://{name}", "app").Build();
        Assert.Equal("1", root["app:x"]);
        Assert.Contains($"memory://{name}", root.Provider().ToString(), StringComparison.Ordinal);
        root.Dispose();
        Assert.Equal(ValkeyrieConfigurationState.Stopped, root.Provider().Status.State);
    }

    [Fact]
    public async Task Set_changes_memory_only_until_the_store_writes_the_key()
    {
        await using var store = new MemoryKvStore();
        await store.PutAsync("app/x", "store");
        using var root = Kv.Build(store, s => s.Prefixes.Add("app"));
        using var reloads = new ReloadRecorder(root);

        root["app:x"] = "memory";
        Assert.Equal("memory", root["app:x"]);
        Assert.Equal("store", (await store.GetAsync("app/x"))!.ValueAsString);

        await store.PutAsync("app/x", "store-2");
        await reloads.NextAsync("the store write");
        Assert.Equal("store-2", root["app:x"]);
    }

    [Fact]
    public async Task ReloadOnChange_off_loads_once_and_Reload_reads_again()
    {
        await using var store = new MemoryKvStore();
        await store.PutAsync("app/x", "1");
        using var root = Kv.Build(store, s =>
        {
            s.Prefixes.Add("app");
            s.ReloadOnChange = false;
        });

        await store.PutAsync("app/x", "2");
        await Task.Delay(300); // Nothing to wait for: proving the absence of a reload.
        Assert.Equal("1", root["app:x"]);

        root.Reload();
        Assert.Equal("2", root["app:x"]);
    }

    [Fact]
    public void Invalid_prefix_or_missing_store_fail_when_the_source_is_built()
    {
        Assert.Throws<ArgumentException>(() => new ConfigurationBuilder().AddValkeyrie(new MemoryKvStore(), s => s.Prefixes.Add("a//b")).Build());
        Assert.Throws<ArgumentException>(() => new ConfigurationBuilder().AddValkeyrie(_ => { }).Build());
        var unknown = Assert.Throws<KvConfigurationException>(() => new ConfigurationBuilder().AddValkeyrie("nosuch://x").Build());
        Assert.Contains("Unknown store scheme", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Values_are_never_in_the_provider_description()
    {
        await using var store = new MemoryKvStore();
        await store.PutAsync("app/secret", "hunter2");
        using var root = Kv.Build(store, s => s.Prefixes.Add("app"));
        Assert.DoesNotContain("hunter2", root.Provider().ToString(), StringComparison.Ordinal);
        Assert.Equal("hunter2", Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(root["app:secret"]!)));
    }
}
