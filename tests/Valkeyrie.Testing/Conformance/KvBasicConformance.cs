using Valkeyrie.Backends;

namespace Valkeyrie.Testing.Conformance;

/// <summary>Put, get, delete, exists, list and delete-tree, key rules and index rules (docs/store-contract.md).</summary>
public abstract class KvBasicConformance : KvConformanceBase
{
    [Theory]
    [InlineData("plain")]
    [InlineData("nested/deeper/key")]
    [InlineData("slash-suffixed/")]
    public async Task Put_get_exists_delete_round_trip(string relative)
    {
        var key = K(relative);
        var canonical = key.TrimEnd('/');
        var written = await Store.PutAsync(key, V("value"));
        Assert.Equal(canonical, written.Key);
        Assert.True(written.LastIndex > 0);

        var read = await Store.GetAsync(key);
        Assert.NotNull(read);
        Assert.Equal(canonical, read.Key);
        Assert.Equal("value", read.ValueAsString);
        Assert.Equal(written.LastIndex, read.LastIndex);
        Assert.True(await Store.ExistsAsync(canonical));

        Assert.True(await Store.DeleteAsync(key));
        Assert.Null(await Store.GetAsync(key));
        Assert.False(await Store.ExistsAsync(key));
        Assert.False(await Store.DeleteAsync(key));
    }

    [Fact]
    public async Task Get_of_a_missing_key_is_null() => Assert.Null(await Store.GetAsync(K("missing")));

    [Fact]
    public async Task Leading_slash_is_the_same_key() {
        await Store.PutAsync("/" + K("lead"), V("x"));
        Assert.Equal("x", (await Store.GetAsync(K("lead")))?.ValueAsString);
    }

    [Fact]
    public async Task Binary_and_empty_values_are_kept_exactly()
    {
        var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        await Store.PutAsync(K("binary"), bytes);
        await Store.PutAsync(K("empty"), ReadOnlyMemory<byte>.Empty);
        Assert.Equal(bytes, (await Store.GetAsync(K("binary")))!.Value.ToArray());
        var empty = await Store.GetAsync(K("empty"));
        Assert.NotNull(empty);
        Assert.Equal(0, empty.Value.Length);
    }

    [Fact]
    public async Task Unicode_keys_and_values_round_trip()
    {
        await Store.PutAsync(K("ünïcødé/ключ/キー"), V("värde ✓"));
        Assert.Equal("värde ✓", (await Store.GetAsync(K("ünïcødé/ключ/キー")))?.ValueAsString);
        Assert.Single(await Store.ListAsync(K("ünïcødé")));
    }

    [Fact]
    public async Task A_key_can_hold_a_value_and_have_children()
    {
        await Store.PutAsync(K("db"), V("parent"));
        await Store.PutAsync(K("db/host"), V("child"));
        Assert.Equal("parent", (await Store.GetAsync(K("db")))?.ValueAsString);
        Assert.Equal("child", (await Store.GetAsync(K("db/host")))?.ValueAsString);
        Assert.True(await Store.DeleteAsync(K("db")));
        Assert.Equal("child", (await Store.GetAsync(K("db/host")))?.ValueAsString);
    }

    [Fact]
    public async Task Index_changes_on_every_write_and_is_new_after_recreate()
    {
        var first = await Store.PutAsync(K("versioned"), V("1"));
        var second = await Store.PutAsync(K("versioned"), V("2"));
        Assert.NotEqual(first.LastIndex, second.LastIndex);
        Assert.True(await Store.DeleteAsync(K("versioned")));
        var recreated = await Store.PutAsync(K("versioned"), V("1"));
        Assert.NotEqual(first.LastIndex, recreated.LastIndex);
        Assert.NotEqual(second.LastIndex, recreated.LastIndex);
        Assert.True(recreated.LastIndex > 0);
    }

    [Fact]
    public async Task List_returns_descendants_sorted_without_the_prefix_key()
    {
        await Store.PutAsync(K("parent"), V("self"));
        foreach (var name in new[] { "parent/e", "parent/a", "parent/c/deep", "parent/b", "parent/d" })
        {
            await Store.PutAsync(K(name), V(name));
        }

        var listed = await Store.ListAsync(K("parent"));
        Assert.Equal(
            new[] { "parent/a", "parent/b", "parent/c/deep", "parent/d", "parent/e" }.Select(K),
            listed.Select(p => p.Key));
        Assert.All(listed, p => Assert.True(p.LastIndex > 0));
        Assert.Equal(listed.Select(p => p.Key), (await Store.ListAsync(K("parent") + "/")).Select(p => p.Key));
        Assert.Equal([K("parent/c/deep")], (await Store.ListAsync(K("parent/c"))).Select(p => p.Key));
    }

    [Fact]
    public async Task List_matches_on_segment_boundaries()
    {
        await Store.PutAsync(K("app/x"), V("1"));
        await Store.PutAsync(K("apple/x"), V("2"));
        await Store.PutAsync(K("app-2/x"), V("3"));
        Assert.Equal([K("app/x")], (await Store.ListAsync(K("app"))).Select(p => p.Key));
    }

    [Fact]
    public async Task List_of_a_leaf_or_missing_prefix_is_empty()
    {
        await Store.PutAsync(K("leaf"), V("x"));
        Assert.Empty(await Store.ListAsync(K("leaf")));
        Assert.Empty(await Store.ListAsync(K("nothing-here")));
    }

    [Fact]
    public async Task List_of_the_root_includes_every_key()
    {
        await Store.PutAsync(K("root-listed/a"), V("1"));
        var all = await Store.ListAsync("");
        Assert.Contains(all, p => p.Key == K("root-listed/a"));
        Assert.DoesNotContain(all, p => KvKeys.IsReserved(p.Key));
        Assert.Equal(all.Select(p => p.Key).Order(StringComparer.Ordinal), all.Select(p => p.Key));
    }

    [Fact]
    public async Task Keys_with_glob_and_special_characters_are_listed_exactly()
    {
        var names = new[] { "g/a*b", "g/a?b", "g/[ab]", "g/a b", "g/a%20b", "g/a+b", "g/a\\b", "g/a:b", "g/a.b" };
        foreach (var name in names)
        {
            await Store.PutAsync(K(name), V(name));
        }

        await Store.PutAsync(K("g*/x"), V("outside"));
        var listed = await Store.ListAsync(K("g"));
        Assert.Equal(names.Select(K).Order(StringComparer.Ordinal), listed.Select(p => p.Key));
        foreach (var name in names)
        {
            Assert.Equal(name, (await Store.GetAsync(K(name)))?.ValueAsString);
        }
    }

    [Fact]
    public async Task DeleteTree_removes_the_prefix_key_and_every_descendant_only()
    {
        await Store.PutAsync(K("tree"), V("self"));
        await Store.PutAsync(K("tree/a"), V("1"));
        await Store.PutAsync(K("tree/b/c/d"), V("2"));
        await Store.PutAsync(K("treehouse"), V("keep"));

        Assert.Equal(3, await Store.DeleteTreeAsync(K("tree")));
        Assert.Null(await Store.GetAsync(K("tree")));
        Assert.Empty(await Store.ListAsync(K("tree")));
        Assert.Equal("keep", (await Store.GetAsync(K("treehouse")))?.ValueAsString);
        Assert.Equal(0, await Store.DeleteTreeAsync(K("tree")));
    }

    [Fact]
    public async Task Many_keys_are_listed_and_deleted_completely()
    {
        for (var i = 0; i < 60; i++)
        {
            await Store.PutAsync(K($"many/{i:D3}"), V(i.ToString()));
        }

        Assert.Equal(60, (await Store.ListAsync(K("many"))).Count);
        Assert.Equal(60, await Store.DeleteTreeAsync(K("many")));
        Assert.Empty(await Store.ListAsync(K("many")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a//b")]
    [InlineData("a/../b")]
    [InlineData("a/./b")]
    [InlineData("bad\u0001key")]
    [InlineData("_valkeyrie/internal")]
    public async Task Invalid_keys_are_rejected_with_ArgumentException(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.GetAsync(key));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(key, V("x")));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteAsync(key));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AtomicPutAsync(key, V("x"), 0));
        Assert.Throws<ArgumentException>(() => Store.CreateLock(key));
    }

    [Fact]
    public async Task Overlong_keys_are_rejected()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(K(new string('k', KvKeys.MaxKeyBytes)), V("x")));
        Assert.Contains("512", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_client_sees_the_same_data()
    {
        var other = await ConnectExtraAsync();
        var written = await Store.PutAsync(K("shared"), V("from-one"));
        var read = await other.GetAsync(K("shared"));
        Assert.Equal(written, read);
    }

    [Fact]
    public async Task Every_call_after_dispose_throws_ObjectDisposedException()
    {
        var store = await ConnectAsync();
        await store.PutAsync(K("disposed"), V("x"));
        await store.DisposeAsync();
        await store.DisposeAsync(); // a second dispose does nothing

        var key = K("disposed");
        var transaction = new KvTransaction().Put(key, V("y"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.GetAsync(key));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.ExistsAsync(key));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.PutAsync(key, V("y")));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.DeleteAsync(key));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.ListAsync(Root));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.DeleteTreeAsync(Root));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.AtomicPutAsync(key, V("y"), 0));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.AtomicDeleteAsync(key, 1));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.CommitAsync(transaction));
        Assert.Throws<ObjectDisposedException>(() => store.WatchAsync(key));
        Assert.Throws<ObjectDisposedException>(() => store.WatchTreeAsync(Root));
        Assert.Throws<ObjectDisposedException>(() => store.CreateLock(key));

        // Nothing was written after the dispose.
        Assert.Equal("x", (await Store.GetAsync(key))?.ValueAsString);
    }

    [Fact]
    public async Task Declared_limits_are_exact_and_nothing_is_written_past_them()
    {
        var limits = Assert.IsAssignableFrom<KvStoreBase>(Store).Limits;
        var bounded = limits.MaxValueBytes != int.MaxValue;

        // The largest value is stored whole; an unlimited store takes more than any backend allows.
        var largest = bounded ? limits.MaxValueBytes : 2 * KvStoreLimits.Redis.MaxValueBytes;
        await Store.PutAsync(K("limit/max"), new byte[largest]);
        Assert.Equal(largest, (await Store.GetAsync(K("limit/max")))!.Value.Length);
        if (bounded)
        {
            var over = new byte[largest + 1];
            var error = await Assert.ThrowsAsync<KvLimitExceededException>(() => Store.PutAsync(K("limit/over"), over));
            Assert.Contains($"this value is {largest + 1} bytes; {limits.Backend} stores at most {largest}; nothing was written", error.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<KvLimitExceededException>(() => Store.AtomicPutAsync(K("limit/over"), over, 0));
            await Assert.ThrowsAsync<KvLimitExceededException>(() => Store.CommitAsync(new KvTransaction().Put(K("limit/over"), over)));
            Assert.Throws<KvLimitExceededException>(() => Store.CreateLock(K("limit/lock"), new KvLockOptions { Value = over }));
            Assert.Null(await Store.GetAsync(K("limit/over")));
        }

        // The largest transaction commits whole; one operation more is refused and writes nothing.
        var operations = limits.MaxTransactionOperations != int.MaxValue ? limits.MaxTransactionOperations : 1000;
        var atLimit = new KvTransaction();
        for (var i = 0; i < operations; i++)
        {
            atLimit.Put(K($"limit/tx/{i:D4}"), V("x"));
        }

        Assert.True(await Store.CommitAsync(atLimit));
        Assert.Equal(operations, (await Store.ListAsync(K("limit/tx"))).Count);
        if (limits.MaxTransactionOperations != int.MaxValue)
        {
            var overLimit = new KvTransaction();
            for (var i = 0; i <= operations; i++)
            {
                overLimit.Put(K($"limit/txover/{i:D4}"), V("x"));
            }

            var error = await Assert.ThrowsAsync<KvLimitExceededException>(() => Store.CommitAsync(overLimit));
            Assert.Contains($"this transaction is {operations + 1} operations; {limits.Backend} applies at most {operations}; nothing was written", error.Message, StringComparison.Ordinal);
            Assert.Empty(await Store.ListAsync(K("limit/txover")));
        }
    }
}
