namespace Valkeyrie.Testing.Conformance;

/// <summary>Compare-and-swap puts and deletes, transactions and concurrent writers (docs/store-contract.md).</summary>
public abstract class KvAtomicConformance : KvConformanceBase
{
    /// <summary>The largest transaction the backend accepts (operations); the suite stays well inside it.</summary>
    protected virtual int MaxTransactionOperations => 64;

    [Fact]
    public async Task Create_only_put_succeeds_once_then_reports_key_exists()
    {
        var created = await Store.AtomicPutAsync(K("create"), V("1"), 0);
        Assert.Equal(KvCasOutcome.Succeeded, created.Outcome);
        Assert.True(created.Succeeded);
        Assert.NotNull(created.Pair);
        Assert.True(created.Pair.LastIndex > 0);

        var again = await Store.AtomicPutAsync(K("create"), V("2"), 0);
        Assert.Equal(KvCasOutcome.KeyExists, again.Outcome);
        Assert.Null(again.Pair);
        Assert.Equal("1", (await Store.GetAsync(K("create")))?.ValueAsString);
    }

    [Fact]
    public async Task Create_only_put_with_a_slash_suffixed_key()
    {
        var created = await Store.AtomicPutAsync(K("slashed/"), ReadOnlyMemory<byte>.Empty, 0);
        Assert.True(created.Succeeded);
        Assert.Equal(K("slashed"), created.Pair!.Key);
        Assert.True(await Store.ExistsAsync(K("slashed")));
    }

    [Fact]
    public async Task Cas_put_succeeds_with_the_current_index_and_reports_modified_otherwise()
    {
        var first = await Store.PutAsync(K("cas"), V("1"));
        var swapped = await Store.AtomicPutAsync(K("cas"), V("2"), first.LastIndex);
        Assert.Equal(KvCasOutcome.Succeeded, swapped.Outcome);
        Assert.NotEqual(first.LastIndex, swapped.Pair!.LastIndex);
        Assert.Equal(swapped.Pair, await Store.GetAsync(K("cas")));

        var stale = await Store.AtomicPutAsync(K("cas"), V("3"), first.LastIndex);
        Assert.Equal(KvCasOutcome.KeyModified, stale.Outcome);
        Assert.Equal("2", (await Store.GetAsync(K("cas")))?.ValueAsString);
    }

    [Fact]
    public async Task Cas_put_on_a_missing_key_reports_not_found()
    {
        var result = await Store.AtomicPutAsync(K("never"), V("x"), 12345);
        Assert.Equal(KvCasOutcome.KeyNotFound, result.Outcome);
        Assert.False(await Store.ExistsAsync(K("never")));
    }

    [Fact]
    public async Task Cas_is_aba_safe_after_delete_and_recreate()
    {
        var original = await Store.PutAsync(K("aba"), V("same"));
        await Store.DeleteAsync(K("aba"));
        await Store.PutAsync(K("aba"), V("same"));
        var result = await Store.AtomicPutAsync(K("aba"), V("new"), original.LastIndex);
        Assert.Equal(KvCasOutcome.KeyModified, result.Outcome);
    }

    [Fact]
    public async Task Cas_delete_reports_every_outcome()
    {
        var pair = await Store.PutAsync(K("del"), V("1"));
        var updated = await Store.PutAsync(K("del"), V("2"));

        Assert.Equal(KvCasOutcome.KeyModified, (await Store.AtomicDeleteAsync(K("del"), pair.LastIndex)).Outcome);
        Assert.True(await Store.ExistsAsync(K("del")));
        Assert.Equal(KvCasOutcome.Succeeded, (await Store.AtomicDeleteAsync(K("del"), updated.LastIndex)).Outcome);
        Assert.False(await Store.ExistsAsync(K("del")));
        Assert.Equal(KvCasOutcome.KeyNotFound, (await Store.AtomicDeleteAsync(K("del"), updated.LastIndex)).Outcome);
    }

    [Fact]
    public async Task Cas_delete_requires_an_index()
    {
        await Store.PutAsync(K("del0"), V("1"));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.AtomicDeleteAsync(K("del0"), 0));
        Assert.True(await Store.ExistsAsync(K("del0")));
    }

    [Fact]
    public async Task Transaction_applies_every_operation_when_checks_hold()
    {
        var existing = await Store.PutAsync(K("tx/existing"), V("old"));
        await Store.PutAsync(K("tx/doomed"), V("bye"));

        var committed = await Store.CommitAsync(new KvTransaction()
            .CheckIndex(K("tx/existing"), existing.LastIndex)
            .CheckAbsent(K("tx/new"))
            .Put(K("tx/existing"), V("updated"))
            .Put(K("tx/new"), V("created"))
            .Delete(K("tx/doomed"))
            .Delete(K("tx/was-never-there")));

        Assert.True(committed);
        Assert.Equal("updated", (await Store.GetAsync(K("tx/existing")))?.ValueAsString);
        Assert.Equal("created", (await Store.GetAsync(K("tx/new")))?.ValueAsString);
        Assert.False(await Store.ExistsAsync(K("tx/doomed")));
    }

    [Fact]
    public async Task Transaction_with_a_failed_check_changes_nothing()
    {
        var existing = await Store.PutAsync(K("txf/existing"), V("old"));
        await Store.PutAsync(K("txf/existing"), V("newer"));
        await Store.PutAsync(K("txf/keep"), V("keep"));

        var committed = await Store.CommitAsync(new KvTransaction()
            .CheckIndex(K("txf/existing"), existing.LastIndex)
            .Put(K("txf/other"), V("x"))
            .Delete(K("txf/keep")));

        Assert.False(committed);
        Assert.False(await Store.ExistsAsync(K("txf/other")));
        Assert.Equal("keep", (await Store.GetAsync(K("txf/keep")))?.ValueAsString);
        Assert.Equal("newer", (await Store.GetAsync(K("txf/existing")))?.ValueAsString);
    }

    [Fact]
    public async Task Transaction_absent_check_fails_when_the_key_exists()
    {
        await Store.PutAsync(K("txa/present"), V("here"));
        var committed = await Store.CommitAsync(new KvTransaction().CheckAbsent(K("txa/present")).Put(K("txa/other"), V("x")));
        Assert.False(committed);
        Assert.False(await Store.ExistsAsync(K("txa/other")));
    }

    [Fact]
    public async Task Transaction_writes_get_fresh_indexes()
    {
        var before = await Store.PutAsync(K("txi/a"), V("1"));
        Assert.True(await Store.CommitAsync(new KvTransaction().Put(K("txi/a"), V("2")).Put(K("txi/b"), V("2"))));
        var after = await Store.GetAsync(K("txi/a"));
        Assert.NotEqual(before.LastIndex, after!.LastIndex);
        var result = await Store.AtomicPutAsync(K("txi/a"), V("3"), after.LastIndex);
        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task Transaction_at_the_limit_applies_atomically()
    {
        var transaction = new KvTransaction();
        var count = Math.Min(MaxTransactionOperations, 50);
        for (var i = 0; i < count; i++)
        {
            transaction.Put(K($"txbig/{i:D2}"), V(i.ToString()));
        }

        Assert.True(await Store.CommitAsync(transaction));
        Assert.Equal(count, (await Store.ListAsync(K("txbig"))).Count);
    }

    [Fact]
    public async Task Concurrent_cas_increments_end_with_the_exact_count()
    {
        const int writers = 4;
        const int incrementsEach = 10;
        await Store.PutAsync(K("counter"), V("0"));
        var clients = new List<IKvStore>();
        for (var i = 0; i < writers; i++)
        {
            clients.Add(await ConnectExtraAsync());
        }

        await Task.WhenAll(clients.Select(async client =>
        {
            for (var done = 0; done < incrementsEach;)
            {
                var current = await client.GetAsync(K("counter"));
                var next = int.Parse(current!.ValueAsString) + 1;
                if ((await client.AtomicPutAsync(K("counter"), V(next.ToString()), current.LastIndex)).Succeeded)
                {
                    done++;
                }
            }
        }));

        Assert.Equal((writers * incrementsEach).ToString(), (await Store.GetAsync(K("counter")))?.ValueAsString);
    }
}
