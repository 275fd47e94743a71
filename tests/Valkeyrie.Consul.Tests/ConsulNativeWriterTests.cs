using Valkeyrie.Testing.Conformance.NativeWriter;
using Valkeyrie.Testing.Servers.Fixtures;

namespace Valkeyrie.Consul.Tests;

/// <summary><c>consul kv</c> as the native writer; Consul's blocking queries carry its writes, no reconciliation.</summary>
[Collection(ConsulCollection.Name)]
public sealed class ConsulNativeWriterTests(ConsulAgentFixture fixture) : KvNativeWriterConformance
{
    protected override Task<IKvStore> ConnectAsync() => ConsulTarget.ConnectAsync(fixture.Server);

    protected override Task NativePutAsync(string key, string value) => fixture.Server.RunCliAsync("kv", "put", key, value);

    protected override Task NativeDeleteAsync(string key) => fixture.Server.RunCliAsync("kv", "delete", key);

    protected override async Task<string?> NativeGetAsync(string key)
    {
        try
        {
            return (await fixture.Server.RunCliAsync("kv", "get", key)).TrimEnd('\n');
        }
        catch (InvalidOperationException e) when (e.Message.Contains("No key exists", StringComparison.Ordinal))
        {
            return null;
        }
    }
}
