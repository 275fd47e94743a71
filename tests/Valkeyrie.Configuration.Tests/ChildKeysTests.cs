using Microsoft.Extensions.Configuration;
using Valkeyrie.Configuration.Tests.Support;

namespace Valkeyrie.Configuration.Tests;

public sealed class ChildKeysTests
{
    [Fact]
    public async Task Binding_one_section_works_among_100000_unrelated_keys()
    {
        await using var store = new MemoryKvStore();
        for (var batch = 0; batch < 100; batch++)
        {
            var transaction = new KvTransaction();
            for (var i = 0; i < 1000; i++)
            {
                transaction.Put($"app/noise/n{batch}/k{i}", Kv.Bytes("x"));
            }

            await store.CommitAsync(transaction);
        }

        await new DbSettings { Host = "h", Port = 1 }.SaveAsync(store);
        using var root = Kv.Build(store, s => s.Prefixes.Add("app"));

        Assert.Equal(100_003, root.Provider().Status.KeyCount);
        var section = root.GetSection(DbSettings.ConfigurationPath);
        Assert.Equal(["ConnectTimeout", "Host", "Port"], section.GetChildren().Select(c => c.Key).Order(StringComparer.Ordinal));
        var bound = DbSettings.Bind(section);
        Assert.Equal("h", bound.Host);
        Assert.Equal(1, bound.Port);
        Assert.Equal(["db", "noise"], root.GetSection("app").GetChildren().Select(c => c.Key));
    }

    [Fact]
    public async Task Children_follow_puts_and_deletes_and_merge_with_earlier_providers()
    {
        await using var store = new MemoryKvStore();
        await store.PutAsync("app/list/0", "a");
        await store.PutAsync("app/list/10", "c");
        await store.PutAsync("app/list/2", "b");
        using var root = (ConfigurationRoot)new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["app:list:1"] = "from memory" })
            .AddValkeyrie(store, s =>
            {
                s.Prefixes.Add("app");
                s.ReloadDelay = TimeSpan.Zero;
            })
            .Build();
        using var reloads = new ReloadRecorder(root);

        Assert.Equal(["0", "1", "2", "10"], root.GetSection("app:list").GetChildren().Select(c => c.Key));

        await store.DeleteAsync("app/list/10");
        await reloads.NextAsync("the delete");
        Assert.Equal(["0", "1", "2"], root.GetSection("app:list").GetChildren().Select(c => c.Key));

        await store.PutAsync("app/LIST/3", "d");
        await reloads.NextAsync("a put in another case");
        Assert.Equal(["0", "1", "2", "3"], root.GetSection("app:list").GetChildren().Select(c => c.Key));
    }
}
