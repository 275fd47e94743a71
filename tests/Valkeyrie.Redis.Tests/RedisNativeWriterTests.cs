using Valkeyrie.Testing.Conformance.NativeWriter;

namespace Valkeyrie.Redis.Tests;

/// <summary>redis-cli's commands (over RESP) as the native writer; keyspace notifications carry them, no reconciliation.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisNativeWriterTests(RedisFixture fixture) : KvNativeWriterConformance
{
    protected override Task<IKvStore> ConnectAsync() => Task.FromResult(fixture.Connect());

    protected override Task NativePutAsync(string key, string value) => fixture.Server.ExecuteAsync("HSET", key, "value", value);

    protected override Task NativeDeleteAsync(string key) => fixture.Server.ExecuteAsync("DEL", key);

    protected override Task<string?> NativeGetAsync(string key) => fixture.Server.ExecuteAsync("HGET", key, "value");

    [Fact]
    public async Task A_plain_SET_over_a_key_is_hidden_from_running_and_new_instances_and_Get_names_the_key()
    {
        await Store.PutAsync(K("svc/name"), V("ours"));
        await Store.PutAsync(K("svc/port"), V("1"));
        await using var running = StartHost(Store);

        await fixture.Server.ExecuteAsync("SET", K("svc/name"), "ops");
        await running.Changes.NextMatchingAsync(s => s.Name == "default", Patience, "the name hidden after a plain SET");
        await AssertANewInstanceAgreesAsync(running);
        Assert.Equal(1, running.Monitor.CurrentValue.Port);

        var error = await Assert.ThrowsAsync<KvException>(() => Store.GetAsync(K("svc/name")));
        Assert.Contains(K("svc/name"), error.Message, StringComparison.Ordinal);
        Assert.Contains("HSET", error.Message, StringComparison.Ordinal);
        Assert.Equal([K("svc/port")], (await Store.ListAsync(Root)).Select(p => p.Key));
    }

    [Fact]
    public async Task A_key_created_with_both_hash_fields_is_listed_and_bound_with_an_index_of_its_own()
    {
        await using var running = StartHost(Store);
        await fixture.Server.ExecuteAsync("HSET", K("svc/name"), "value", "ops", "index", "1");
        await running.Changes.NextMatchingAsync(s => s.Name == "ops", Patience, "the name created with value and index");
        await AssertANewInstanceAgreesAsync(running);
        var pair = await Store.GetAsync(K("svc/name"));
        Assert.True(pair!.LastIndex > 1, "the store re-stamps a native index so that indexes never repeat");
    }

    [Fact]
    public async Task The_store_turns_keyspace_notifications_on_when_they_are_off()
    {
        await fixture.Server.ExecuteAsync("CONFIG", "SET", "notify-keyspace-events", "");
        await using var store = await ConnectExtraAsync();
        await using var running = StartHost(store);
        var flags = await fixture.Server.ExecuteAsync("CONFIG", "GET", "notify-keyspace-events");
        foreach (var flag in "Kgh$x")
        {
            Assert.Contains(flag.ToString(), flags!, StringComparison.Ordinal);
        }

        await NativePutAsync(K("svc/port"), "7");
        await running.Changes.NextMatchingAsync(s => s.Port == 7, Patience, "port 7 after the flags were turned on");
    }
}
