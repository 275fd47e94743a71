using Valkeyrie.Testing.Servers;

namespace Valkeyrie.Testing.Tests;

public sealed class HarnessHelperTests
{
    [Fact]
    public void A_missing_tool_fails_with_its_install_step()
    {
        var error = Assert.Throws<FileNotFoundException>(
            () => ToolLocator.Find("valkeyrie-no-such-tool", "run ./test.sh, which installs it"));
        Assert.Contains("valkeyrie-no-such-tool not found", error.Message);
        Assert.Contains("run ./test.sh, which installs it", error.Message);
    }

    [Fact]
    public void The_repository_root_holds_the_solution()
    {
        Assert.NotNull(ToolLocator.RepositoryRoot);
        Assert.True(File.Exists(Path.Combine(ToolLocator.RepositoryRoot!, "Valkeyrie.sln")));
    }

    [Fact]
    public void Free_ports_are_distinct_and_unused()
    {
        var ports = Enumerable.Range(0, 20).Select(_ => FreePort.Next()).ToList();
        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, port => Assert.False(FreePort.IsListening(port)));
    }
}
