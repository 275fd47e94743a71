using System.Text;
using Valkeyrie.Testing.Conformance.NativeWriter;
using Valkeyrie.Testing.Servers;
using Valkeyrie.Testing.Servers.Fixtures;
using Valkeyrie.ZooKeeper.Protocol;

namespace Valkeyrie.ZooKeeper.Tests;

/// <summary>
/// A plain ZooKeeper client (the protocol client in its raw form: create, setData, delete, getData, exactly what zkCli's
/// create/set/delete/get send) as the native writer; the periodic reconciliation carries its writes, and one test
/// runs zkCli.sh itself.
/// </summary>
[Collection(ZooKeeperCollection.Name)]
public sealed class ZooKeeperNativeWriterTests(ZooKeeperServerFixture fixture) : KvNativeWriterConformance
{
    private ZkClient? _native;

    protected override TimeSpan ReconcileInterval => TimeSpan.FromSeconds(1);

    protected override Task<IKvStore> ConnectAsync() => Task.FromResult(ZooKeeperTarget.Connect(fixture.Server.ConnectionString));

    public override async Task DisposeAsync()
    {
        if (_native is not null)
        {
            await _native.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    protected override async Task NativePutAsync(string key, string value)
    {
        var client = Native();
        var path = "/" + key;
        var data = Encoding.UTF8.GetBytes(value);
        try
        {
            await client.SetDataAsync(path, data, -1, default);
        }
        catch (ZkException e) when (e.Code == ZkErrorCode.NoNode)
        {
            await CreateWithParentsAsync(client, path, data);
        }
    }

    protected override async Task NativeDeleteAsync(string key) => await Native().DeleteAsync("/" + key, -1, default);

    protected override async Task<string?> NativeGetAsync(string key) =>
        await Native().GetDataAsync("/" + key, default) is { } node ? Encoding.UTF8.GetString(node.Data) : null;

    [Fact]
    public async Task zkCli_set_reaches_the_running_provider()
    {
        await Store.PutAsync(K("svc/name"), V("ours"));
        await using var running = StartHost(Store);
        var zkCli = ToolLocator.Find("zkCli.sh", "run ./test.sh, which installs it, or `apt-get install zookeeper`", "/usr/share/zookeeper/bin/zkCli.sh");
        var startInfo = new System.Diagnostics.ProcessStartInfo(zkCli) { ArgumentList = { "-server", $"127.0.0.1:{fixture.Server.Port}", "set", "/" + K("svc/name"), "ops" } };
        await ToolProcess.RunAsync(startInfo, "zkCli.sh set", TimeSpan.FromSeconds(60));
        await running.Changes.NextMatchingAsync(s => s.Name == "ops", Patience, "the name set with zkCli");
        await AssertANewInstanceAgreesAsync(running);
    }

    [Fact]
    public async Task A_value_set_to_empty_natively_reads_as_missing_in_running_and_new_instances_alike()
    {
        await Store.PutAsync(K("svc/name"), V("ops"));
        await Store.PutAsync(K("svc/port"), V("1"));
        await using var running = StartHost(Store);
        await NativePutAsync(K("svc/name"), string.Empty);
        await running.Changes.NextMatchingAsync(s => s.Name == "default", Patience, "the default name once the node holds no data");
        await AssertANewInstanceAgreesAsync(running);
        Assert.Null(await Store.GetAsync(K("svc/name")));
    }

    private ZkClient Native() => _native ??= new ZkClient(new ZkClientOptions
    {
        Endpoints = [("127.0.0.1", fixture.Server.Port)],
        SessionTimeout = TimeSpan.FromSeconds(10),
    });

    private static async Task CreateWithParentsAsync(ZkClient client, string path, byte[] data)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = string.Empty;
        for (var i = 0; i < segments.Length; i++)
        {
            current += "/" + segments[i];
            try
            {
                await client.CreateAsync(current, i == segments.Length - 1 ? data : [], ZkAcl.Open, ZkCreateMode.Persistent, 0, default);
            }
            catch (ZkException e) when (e.Code == ZkErrorCode.NodeExists && i < segments.Length - 1)
            {
                // A parent that is already there.
            }
        }
    }
}
