namespace Valkeyrie.Redis.Tests;

[Collection(RedisAuthCollection.Name)]
public sealed class RedisAuthTests(RedisAuthFixture fixture)
{
    private string Endpoint => $"{fixture.Server.Host}:{fixture.Server.Port}";

    [Theory]
    [InlineData("redis://:default-secret@{0}")]
    [InlineData("redis://{0}?password=default-secret")]
    [InlineData("redis://app:app-secret@{0}")]
    [InlineData("redis://{0}?user=app&password=app-secret")]
    public async Task Valid_credentials_are_accepted(string template)
    {
        await using var store = new RedisKvStore(string.Format(template, Endpoint));
        var key = $"auth/{Guid.NewGuid():N}";
        var written = await store.PutAsync(key, "ok"u8.ToArray());
        Assert.Equal(written, await store.GetAsync(key));
        Assert.True(await store.DeleteAsync(key));
    }

    [Theory]
    [InlineData("redis://:wrong@{0}")]
    [InlineData("redis://app:wrong@{0}")]
    [InlineData("redis://nobody:app-secret@{0}")]
    [InlineData("redis://{0}")]
    public async Task Rejected_credentials_raise_a_clear_authentication_error(string template)
    {
        await using var store = new RedisKvStore(string.Format(template, Endpoint));
        var error = await Assert.ThrowsAsync<KvAuthenticationException>(() => store.GetAsync("auth/x").WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("redis", error.Message, StringComparison.Ordinal);
        Assert.Contains(Endpoint, error.Message, StringComparison.Ordinal);
        Assert.Contains("credentials", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_watch_with_rejected_credentials_throws_instead_of_retrying_forever()
    {
        await using var store = new RedisKvStore($"redis://:wrong@{Endpoint}");
        var watch = store.WatchTreeAsync("auth").GetAsyncEnumerator();
        await Assert.ThrowsAsync<KvAuthenticationException>(async () => await watch.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        await watch.DisposeAsync();
    }
}
