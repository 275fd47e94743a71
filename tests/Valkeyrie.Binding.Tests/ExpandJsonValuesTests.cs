using System.Text;
using Microsoft.Extensions.Configuration;
using Valkeyrie.Configuration;
using Valkeyrie.Sections;

namespace Valkeyrie.Binding.Tests;

/// <summary>JSON members read through the real provider with ExpandJsonValues on (docs/generator.md, JSON members).</summary>
public sealed class ExpandJsonValuesTests : IAsyncLifetime
{
    private readonly MemoryKvStore _store = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task A_KvJson_member_binds_from_the_sub_keys_expansion_made()
    {
        await new ExpandedJsonShape { Leaves = [new Leaf { Name = "a", Depth = 1 }, new Leaf { Name = "b" }] }.SaveAsync(_store);

        var section = ExpandedJsonShape.Bind(Build("json/expanded").GetSection(ExpandedJsonShape.ConfigurationPath));

        Assert.Equal(["a", "b"], section.Leaves.Select(l => l.Name));
        Assert.Equal(1, section.Leaves[0].Depth);
    }

    [Fact]
    public async Task A_json_context_member_binds_from_the_sub_keys_expansion_made()
    {
        await new ContextJsonShape { Origin = new Point { X = 1.5, Y = -2 } }.SaveAsync(_store);
        var configuration = Build("json/context");

        var section = ContextJsonShape.Bind(configuration.GetSection(ContextJsonShape.ConfigurationPath));

        Assert.Equal(1.5, section.Origin.X);
        Assert.Equal(-2, section.Origin.Y);
        Assert.Equal(["X", "Y"], configuration.GetSection("json:context:Origin").GetChildren().Select(c => c.Key));
    }

    [Fact]
    public async Task Without_expansion_a_json_context_member_binds_from_its_text()
    {
        await _store.PutAsync("json/context/Origin", Encoding.UTF8.GetBytes("""{"X":3,"Y":4}"""));
        var configuration = new ConfigurationBuilder().AddValkeyrie(_store, s =>
        {
            s.Prefixes.Add("json/context");
            s.ReloadOnChange = false;
            s.ProbeInterval = TimeSpan.Zero;
        }).Build();

        Assert.Equal(4, ContextJsonShape.Bind(configuration.GetSection(ContextJsonShape.ConfigurationPath)).Origin.Y);
        (configuration as IDisposable)?.Dispose();
    }

    private IConfigurationRoot Build(string prefix) => new ConfigurationBuilder().AddValkeyrie(_store, s =>
    {
        s.Prefixes.Add(prefix);
        s.ExpandJsonValues = true;
        s.ReloadOnChange = false;
        s.ProbeInterval = TimeSpan.Zero;
    }).Build();
}
