using Valkeyrie.Testing.Conformance.NativeWriter;
using Valkeyrie.Testing.Servers.Fixtures;

namespace Valkeyrie.Etcd.Tests;

/// <summary>etcdctl as the native writer; etcd's own watch carries its writes, no reconciliation.</summary>
[Collection(EtcdCollection.Name)]
public sealed class EtcdNativeWriterTests(EtcdServerFixture fixture) : KvNativeWriterConformance
{
    protected override Task<IKvStore> ConnectAsync() => Task.FromResult<IKvStore>(new EtcdKvStore(fixture.Server.ConnectionString));

    protected override Task NativePutAsync(string key, string value) => fixture.Server.RunEtcdctlAsync(["put", key, value]);

    protected override Task NativeDeleteAsync(string key) => fixture.Server.RunEtcdctlAsync(["del", key]);

    protected override async Task<string?> NativeGetAsync(string key)
    {
        var output = await fixture.Server.RunEtcdctlAsync(["get", key, "--print-value-only"]);
        return output.Length == 0 ? null : output.TrimEnd('\n');
    }

    [Theory]
    [InlineData("/{0}/svc/port")]
    [InlineData("{0}/svc/port/")]
    [InlineData("{0}//svc/port")]
    public async Task A_non_canonical_native_key_is_hidden_from_running_and_new_instances_alike(string shape)
    {
        await using var running = StartHost(Store);
        await NativePutAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, shape, Root), "9");

        // etcd delivers in order: once a later write arrived, the odd key has been seen and ignored.
        await NativePutAsync(K("svc/name"), "marker");
        var seen = await running.Changes.NextMatchingAsync(s => s.Name == "marker", Patience, "the marker written after the odd key");
        Assert.Equal(80, seen.Port);
        await AssertANewInstanceAgreesAsync(running);
        Assert.Equal([K("svc/name")], (await Store.ListAsync(Root)).Select(p => p.Key));
    }
}
