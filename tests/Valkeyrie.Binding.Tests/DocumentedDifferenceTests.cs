using Microsoft.Extensions.Configuration;

namespace Valkeyrie.Binding.Tests;

/// <summary>The documented differences the generated configurations cannot show, each with its own example.</summary>
public sealed class DocumentedDifferenceTests
{
    [Fact]
    public void get_only_members_ConfigurationBinder_binds_into_the_instance_a_get_only_property_returns()
    {
        // A [KvSection] with such a member gets warning VKV005 and skips it; the binder fills the instance.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["s:Leaf:Depth"] = "9" }).Build();

        var bound = configuration.GetSection("s").Get<GetOnly>()!;

        Assert.Equal(9, bound.Leaf.Depth);
        Assert.Contains("get-only-members", DifferentialTests.NotGenerated);
        Assert.Contains("get-only-members", Differences.Documented());
    }

    public sealed class GetOnly
    {
        public Leaf Leaf { get; } = new();
    }
}
