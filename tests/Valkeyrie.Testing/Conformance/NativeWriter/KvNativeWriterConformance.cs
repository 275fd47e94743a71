using Valkeyrie.Testing.Conformance.Configuration;

namespace Valkeyrie.Testing.Conformance.NativeWriter;

/// <summary>
/// Writes made with the backend's own client or CLI (an operator's tools) while <c>AddValkeyrie</c> runs: every one
/// reaches the running provider, a freshly started provider agrees with it and with the store, values Valkeyrie writes
/// read as plain text natively, and a native write gets a fresh index so compare-and-swap stays safe
/// (docs/store-contract.md, "Any writer"; the commands are the ones docs/operators.md gives). Each backend's test
/// project derives it once and adds a test per hostile edit its operators could make.
/// </summary>
public abstract class KvNativeWriterConformance : KvConformanceBase
{
    /// <summary>
    /// The reconciliation interval of the providers under test. Backends whose change feed follows native writes
    /// leave it off, so the tests prove the feed; the others set a short one, so they prove the backstop.
    /// </summary>
    protected virtual TimeSpan ReconcileInterval => TimeSpan.Zero;

    /// <summary>Writes <paramref name="value"/> at <paramref name="key"/> with the native tool (creates or updates).</summary>
    /// <param name="key">A canonical key.</param>
    /// <param name="value">Plain text.</param>
    protected abstract Task NativePutAsync(string key, string value);

    /// <summary>Deletes <paramref name="key"/> with the native tool.</summary>
    /// <param name="key">A canonical key.</param>
    protected abstract Task NativeDeleteAsync(string key);

    /// <summary>Reads <paramref name="key"/> with the native tool; null when missing.</summary>
    /// <param name="key">A canonical key.</param>
    protected abstract Task<string?> NativeGetAsync(string key);

    /// <summary>Starts an application (AddValkeyrie + AddKvSection) on <paramref name="store"/> over this test's root.</summary>
    /// <param name="store">The store the application uses.</param>
    protected KvConfigurationHost StartHost(IKvStore store) =>
        KvConfigurationHost.Start(store, Root, source => source.ReconcileInterval = ReconcileInterval);

    /// <summary>Starts a second application on a new client and checks that it binds what the running one shows.</summary>
    /// <param name="running">The application that has been running.</param>
    protected async Task AssertANewInstanceAgreesAsync(KvConfigurationHost running)
    {
        await using var fresh = StartHost(await ConnectExtraAsync());
        var (now, started) = (running.Monitor.CurrentValue, fresh.Monitor.CurrentValue);
        Assert.Equal((now.Name, now.Port), (started.Name, started.Port));
    }

    [Fact]
    public async Task Native_creates_updates_and_deletes_reach_a_running_provider_and_a_new_one_agrees()
    {
        await Store.PutAsync(K("svc/name"), V("first"));
        await using var running = StartHost(Store);
        Assert.Equal("first", running.Monitor.CurrentValue.Name);

        await NativePutAsync(K("svc/port"), "9090");
        await running.Changes.NextMatchingAsync(s => s.Port == 9090, Patience, "port 9090 created natively");
        await NativePutAsync(K("svc/name"), "second");
        await running.Changes.NextMatchingAsync(s => s.Name == "second", Patience, "the name updated natively");
        await AssertANewInstanceAgreesAsync(running);
        Assert.Equal("second", (await Store.GetAsync(K("svc/name")))?.ValueAsString);

        await NativeDeleteAsync(K("svc/name"));
        await running.Changes.NextMatchingAsync(s => s.Name == "default", Patience, "the default name after a native delete");
        await AssertANewInstanceAgreesAsync(running);
        Assert.Equal(["9090"], (await Store.ListAsync(Root)).Select(p => p.ValueAsString));
    }

    [Fact]
    public async Task A_native_update_gets_a_new_index_so_compare_and_swap_stays_safe()
    {
        var ours = await Store.PutAsync(K("svc/name"), V("ours"));
        await using var running = StartHost(Store);
        await NativePutAsync(K("svc/name"), "theirs");
        await running.Changes.NextMatchingAsync(s => s.Name == "theirs", Patience, "the name updated natively");

        var theirs = await Store.GetAsync(K("svc/name"));
        Assert.Equal("theirs", theirs?.ValueAsString);
        Assert.True(theirs!.LastIndex > ours.LastIndex, $"the native write's index {theirs.LastIndex} must be above {ours.LastIndex}");
        Assert.Equal(KvCasOutcome.KeyModified, (await Store.AtomicPutAsync(K("svc/name"), V("stale"), ours.LastIndex)).Outcome);
        var swapped = await Store.AtomicPutAsync(K("svc/name"), V("ours again"), theirs.LastIndex);
        Assert.True(swapped.Succeeded);
        Assert.True(swapped.Pair!.LastIndex > theirs.LastIndex);
        await running.Changes.NextMatchingAsync(s => s.Name == "ours again", Patience, "our compare-and-swap after the native write");
    }

    [Fact]
    public async Task Values_written_by_Valkeyrie_read_as_plain_text_with_the_native_tool()
    {
        await Store.PutAsync(K("svc/name"), V("plain text: ö"));
        Assert.Equal("plain text: ö", await NativeGetAsync(K("svc/name")));
        Assert.Null(await NativeGetAsync(K("svc/missing")));
    }
}
