using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;
using Valkeyrie.Configuration;
using Valkeyrie.LiteDB;

namespace Valkeyrie.Binding.Tests;

/// <summary>
/// The documented <see cref="IConfigurationProvider"/> contract, checked against ValkeyrieConfigurationProvider over a
/// real store: case-insensitive lookups, empty values and sections, child keys ordered and de-duplicated as
/// ConfigurationKeyComparer orders them, arrays, a key with a value and children, Set/TryGet/Reload and ToString.
/// </summary>
public abstract class ProviderContractTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private IKvStore _store = null!;

    protected abstract IKvStore CreateStore();

    public Task InitializeAsync()
    {
        _store = CreateStore();
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Lookups_ignore_case_and_empty_values_stay_empty()
    {
        await Put("app/Db/Host", "h");
        await Put("app/db/empty", "");
        using var root = Build();

        Assert.Equal("h", root["APP:DB:HOST"]);
        Assert.Equal("h", root["app:db:host"]);
        Assert.Equal(string.Empty, root["app:db:Empty"]);
        Assert.True(Provider(root).TryGet("App:Db:Empty", out var empty));
        Assert.Equal(string.Empty, empty);
        Assert.False(Provider(root).TryGet("app:db:missing", out var missing));
        Assert.Null(missing);
    }

    [Fact]
    public async Task A_missing_section_is_empty_and_does_not_exist()
    {
        await Put("app/present", "1");
        using var root = Build();

        var section = root.GetSection("app:absent:deeper");

        Assert.Null(section.Value);
        Assert.Empty(section.GetChildren());
        Assert.False(section.Exists());
        Assert.Equal("app:absent:deeper", section.Path);
    }

    [Fact]
    public async Task Child_keys_are_ordered_like_ConfigurationKeyComparer_and_de_duplicated_ignoring_case()
    {
        foreach (var key in new[] { "app/list/10", "app/list/2", "app/list/b", "app/list/A", "app/list/1", "app/LIST/b", "app/list/7" })
        {
            await Put(key, key);
        }

        using var root = new DisposableRoot(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["app:list:3"] = "earlier", ["app:list:a"] = "earlier" })
            .AddValkeyrie(_store, Options)
            .Build());

        var children = root.GetSection("app:list").GetChildren().Select(c => c.Key).ToList();
        var expected = children.ToList();
        expected.Sort(ConfigurationKeyComparer.Instance);

        Assert.Equal(expected, children);
        Assert.Equal(children.Count, children.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(["1", "2", "3", "7", "10", "A", "B"], children.Select(c => c.ToUpperInvariant()));
    }

    [Fact]
    public async Task Keys_differing_only_in_case_report_the_spelling_of_the_winning_key()
    {
        await Put("app/map/KEY", "upper");
        await Put("app/map/key", "lower");
        using var root = Build();

        var child = Assert.Single(root.GetSection("app:map").GetChildren());

        Assert.Equal("lower", child.Value);
        Assert.Equal("key", child.Key);
    }

    [Fact]
    public async Task Arrays_bind_through_ConfigurationBinder()
    {
        await Put("app/ports/0", "80");
        await Put("app/ports/1", "443");
        await Put("app/ports/2", "8080");
        using var root = Build();

        Assert.Equal([80, 443, 8080], root.GetSection("app:ports").Get<int[]>() ?? []);
    }

    [Fact]
    public async Task A_key_can_have_a_value_and_children()
    {
        await Put("app/db", "value");
        await Put("app/db/host", "h");
        using var root = Build();

        var section = root.GetSection("app:db");

        Assert.Equal("value", section.Value);
        Assert.Equal(["host"], section.GetChildren().Select(c => c.Key));
        Assert.Equal(["db"], root.GetSection("app").GetChildren().Select(c => c.Key));
    }

    [Fact]
    public async Task Set_is_read_back_by_TryGet_and_Reload_drops_it()
    {
        await Put("app/x", "store");
        using var root = Build();
        var provider = Provider(root);

        root["app:x"] = "memory";
        root["app:only-in-memory"] = "memory";

        Assert.True(provider.TryGet("APP:X", out var value));
        Assert.Equal("memory", value);
        Assert.Equal("memory", root["app:only-in-memory"]);

        root.Reload();

        Assert.Equal("store", root["app:x"]);
        Assert.Null(root["app:only-in-memory"]);
        Assert.DoesNotContain("only-in-memory", root.GetSection("app").GetChildren().Select(c => c.Key));
    }

    [Fact]
    public async Task A_store_write_of_an_equal_value_ends_the_override_of_that_key()
    {
        await Put("app/x", "store");
        await Put("app/y", "store");
        using var root = BuildWatching();
        root["app:x"] = "memory";
        root["app:y"] = "memory";

        var reloaded = NextReload(root);
        await Put("app/x", "store");
        await reloaded.WaitAsync(Wait);

        Assert.Equal("store", root["app:x"]);
        Assert.Equal("memory", root["app:y"]);
    }

    [Fact]
    public async Task ToString_names_the_provider_and_its_prefixes()
    {
        using var root = Build();

        var text = Provider(root).ToString();

        Assert.Contains(nameof(ValkeyrieConfigurationProvider), text, StringComparison.Ordinal);
        Assert.Contains("app", text, StringComparison.Ordinal);
    }

    private static void Options(ValkeyrieConfigurationSource source)
    {
        source.Prefixes.Add("app");
        source.ReloadOnChange = false;
        source.ProbeInterval = TimeSpan.Zero;
    }

    private static ValkeyrieConfigurationProvider Provider(IConfigurationRoot root) => root.Providers.OfType<ValkeyrieConfigurationProvider>().Single();

    private static Task NextReload(IConfigurationRoot root)
    {
        var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        root.GetReloadToken().RegisterChangeCallback(_ => reloaded.TrySetResult(), null);
        return reloaded.Task;
    }

    private DisposableRoot Build() => new(new ConfigurationBuilder().AddValkeyrie(_store, Options).Build());

    private DisposableRoot BuildWatching() => new(new ConfigurationBuilder()
        .AddValkeyrie(_store, s =>
        {
            s.Prefixes.Add("app");
            s.ReloadDelay = TimeSpan.Zero;
            s.ProbeInterval = TimeSpan.Zero;
        })
        .Build());

    private Task<KvPair> Put(string key, string value) => _store.PutAsync(key, System.Text.Encoding.UTF8.GetBytes(value));

    /// <summary>A configuration root that disposes its providers (and stops their watches).</summary>
    private sealed class DisposableRoot(IConfigurationRoot root) : IConfigurationRoot, IDisposable
    {
        public string? this[string key] { get => root[key]; set => root[key] = value; }

        public IEnumerable<IConfigurationProvider> Providers => root.Providers;

        public IEnumerable<IConfigurationSection> GetChildren() => root.GetChildren();

        public IChangeToken GetReloadToken() => root.GetReloadToken();

        public IConfigurationSection GetSection(string key) => root.GetSection(key);

        public void Reload() => root.Reload();

        public void Dispose() => (root as IDisposable)?.Dispose();
    }
}

public sealed class MemoryProviderContractTests : ProviderContractTests
{
    protected override IKvStore CreateStore() => new MemoryKvStore();
}

public sealed class LiteDbProviderContractTests : ProviderContractTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("valkeyrie-contract-").FullName;

    protected override IKvStore CreateStore() => new LiteDbKvStore("litedb:" + Path.Combine(_directory, "contract.db"));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
