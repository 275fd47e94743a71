using System.Text;
using Valkeyrie.Backends;

namespace Valkeyrie.Runtime.Tests;

/// <summary>The reconciliation's comparison: what a fresh read holds that the watch did not deliver, and nothing else.</summary>
public sealed class KvAppliedStateTests
{
    [Fact]
    public void A_fresh_read_equal_to_what_was_delivered_gives_no_events()
    {
        var state = new KvAppliedState();
        state.Apply(KvTreeChange.FromSnapshot([Pair("a/x", "1", 3), Pair("a/y", "2", 4)], 4));
        state.Apply(KvTreeChange.FromEvents([KvEvent.Put(Pair("a/z", "3", 5)), KvEvent.Delete("a/x", 6)], 6));

        Assert.Empty(state.Reconcile(new KvScopeSnapshot([Pair("a/y", "2", 4), Pair("a/z", "3", 5)], 6)));
    }

    [Fact]
    public void Creates_updates_even_with_the_same_index_and_deletes_are_found_once()
    {
        var state = new KvAppliedState();
        state.Apply(KvTreeChange.FromSnapshot([Pair("a/gone", "1", 3), Pair("a/same-index", "old", 4), Pair("a/moved", "x", 5)], 5));
        var fresh = new KvScopeSnapshot([Pair("a/moved", "x", 9), Pair("a/new", "n", 8), Pair("a/same-index", "new", 4)], 9);

        var events = state.Reconcile(fresh);

        Assert.Equal(
            ["put a/moved 9", "put a/new 8", "put a/same-index 4", "delete a/gone 9"],
            events.Select(e => $"{e.Kind.ToString().ToLowerInvariant()} {e.Key} {e.Index}"));
        Assert.Empty(state.Reconcile(fresh));
    }

    private static KvPair Pair(string key, string value, ulong index) => new(key, Encoding.UTF8.GetBytes(value), index);
}
