using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Valkeyrie.Configuration.Tests.Support;
using Valkeyrie.LiteDB;

namespace Valkeyrie.Configuration.Tests;

/// <summary>The provider on the embedded LiteDB store, with an operator writing through a second store instance.</summary>
public sealed class LiteDbConfigurationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("valkeyrie-config-litedb-").FullName;

    private string ConnectionString => $"litedb:{Path.Combine(_directory, "config.db")}";

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Put_update_and_delete_from_another_client_reload()
    {
        await using var operatorClient = new LiteDbKvStore(ConnectionString);
        await operatorClient.PutAsync("app/x", "1");
        using var root = (ConfigurationRoot)new ConfigurationBuilder().AddValkeyrie(ConnectionString, "app").Build();
        using var reloads = new ReloadRecorder(root);
        Assert.Equal("1", root["app:x"]);

        await operatorClient.PutAsync("app/y", "new");
        Assert.Equal(["app:y"], await reloads.NextAsync("the put"));
        await operatorClient.PutAsync("app/x", "2");
        Assert.Equal(["app:x"], await reloads.NextAsync("the update"));
        await operatorClient.DeleteAsync("app/y");
        Assert.Equal(["app:y"], await reloads.NextAsync("the delete"));
        Assert.Equal("2", root["app:x"]);
        Assert.Null(root["app:y"]);
    }

    [Fact]
    public async Task A_section_saved_as_one_transaction_reloads_once_through_the_options_monitor()
    {
        await using var operatorClient = new LiteDbKvStore(ConnectionString);
        await new DbSettings { Host = "a", Port = 1 }.SaveAsync(operatorClient);
        using var root = (ConfigurationRoot)new ConfigurationBuilder().AddValkeyrie(ConnectionString, s =>
        {
            s.Prefixes.Add("app");
            s.ReloadDelay = TimeSpan.Zero;
        }).Build();
        using var reloads = new ReloadRecorder(root);
        var services = new ServiceCollection().AddSingleton<IConfiguration>(root);
        services.AddKvSection<DbSettings>();
        await using var provider = services.BuildServiceProvider();
        var monitor = provider.GetRequiredService<IOptionsMonitor<DbSettings>>();
        Assert.Equal("a", monitor.CurrentValue.Host);

        await new DbSettings { Host = "b", Port = 2, ConnectTimeout = TimeSpan.FromSeconds(9) }.SaveAsync(operatorClient);
        Assert.Equal(3, (await reloads.NextAsync("the section save")).Count);
        Assert.Equal(("b", 2), (monitor.CurrentValue.Host, monitor.CurrentValue.Port));

        await operatorClient.PutAsync("app/marker", "1");
        Assert.Equal(["app:marker"], await reloads.NextAsync("the marker"));
        Assert.Equal(2, reloads.Count);
    }
}
