using Microsoft.Extensions.Configuration;
using Valkeyrie.Configuration.Tests.Support;

namespace Valkeyrie.Configuration.Tests;

/// <summary>Outages simulated with <see cref="FlakyStore"/>: every call fails while it is down.</summary>
public sealed class OutageTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("valkeyrie-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Data_is_kept_during_an_outage_and_changes_made_meanwhile_arrive_on_recovery()
    {
        await using var store = new FlakyStore();
        await store.PutAsync("app/x", "before");
        await store.PutAsync("app/gone", "will be deleted");
        using var root = Kv.Build(store, s => s.Prefixes.Add("app"));
        using var reloads = new ReloadRecorder(root);

        store.GoDown();
        await store.Inner.PutAsync("app/x", "during");
        await store.Inner.DeleteAsync("app/gone");
        await Assert.ThrowsAsync<KvUnavailableException>(() => root.Provider().ProbeAsync());
        Assert.NotNull(root.Provider().Status.LastError);
        Assert.Equal("before", root["app:x"]);
        Assert.Equal("will be deleted", root["app:gone"]);

        store.ComeUp();
        var changed = await reloads.NextAsync("recovery");
        Assert.Equal(["app:gone", "app:x"], changed);
        Assert.Equal("during", root["app:x"]);
        Assert.Null(root["app:gone"]);
    }

    [Fact]
    public async Task Startup_with_the_store_down_fails_after_the_timeout_with_a_clear_error()
    {
        await using var store = new FlakyStore(down: true);
        var logs = new LogCapture();

        var error = Assert.Throws<KvUnavailableException>(() => Kv.Build(store, s =>
        {
            s.Prefixes.Add("app");
            s.StartupTimeout = TimeSpan.FromSeconds(1);
            s.LoggerFactory = logs.CreateFactory();
        }));

        Assert.Contains("within the startup timeout of 1 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("Optional", error.Message, StringComparison.Ordinal);
        Assert.IsType<KvUnavailableException>(error.InnerException);
        Assert.Contains(logs.Entries, e => e.EventId.Id == 4 && e.Exception is not null);
    }

    [Fact]
    public async Task An_optional_source_starts_empty_and_fills_when_the_store_comes_up()
    {
        await using var store = new FlakyStore(down: true);
        await store.Inner.PutAsync("app/x", "1");
        using var root = Kv.Build(store, s =>
        {
            s.Prefixes.Add("app");
            s.Optional = true;
            s.StartupTimeout = TimeSpan.FromMilliseconds(500);
        });
        using var reloads = new ReloadRecorder(root);
        Assert.Null(root["app:x"]);
        Assert.Equal(ValkeyrieConfigurationState.Empty, root.Provider().Status.State);

        store.ComeUp();
        Assert.Equal(["app:x"], await reloads.NextAsync("the store coming up"));
        Assert.Equal("1", root["app:x"]);
        Assert.Equal(ValkeyrieConfigurationState.Current, root.Provider().Status.State);
    }

    [Fact]
    public async Task OnLoadException_sees_the_error_and_can_ignore_it()
    {
        await using var store = new FlakyStore(down: true);
        ValkeyrieLoadExceptionContext? seen = null;
        using var root = Kv.Build(store, s =>
        {
            s.Prefixes.Add("app");
            s.StartupTimeout = TimeSpan.FromMilliseconds(500);
            s.OnLoadException = context =>
            {
                seen = context;
                context.Ignore = true;
            };
        });

        Assert.NotNull(seen);
        Assert.IsType<KvUnavailableException>(seen.Exception);
        Assert.Same(root.Provider(), seen.Provider);
        Assert.Empty(root.AsEnumerable());
    }

    [Fact]
    public async Task The_snapshot_file_is_used_when_the_store_is_down_at_startup()
    {
        var path = Path.Combine(_directory, "config-snapshot.json");
        await using var store = new FlakyStore();
        await store.PutAsync("app/db/host", "h1");
        await store.PutAsync("app/db/port", "5432");
        using (var first = Kv.Build(store, s =>
        {
            s.Prefixes.Add("app");
            s.SnapshotPath = path;
        }))
        {
            using var reloads = new ReloadRecorder(first);
            await store.PutAsync("app/db/host", "h2");
            await reloads.NextAsync("the change");
            Assert.True(File.Exists(path));
        }

        store.GoDown();
        var logs = new LogCapture();
        using var second = Kv.Build(store, s =>
        {
            s.Prefixes.Add("app");
            s.SnapshotPath = path;
            s.StartupTimeout = TimeSpan.FromMilliseconds(500);
            s.LoggerFactory = logs.CreateFactory();
        });
        using var secondReloads = new ReloadRecorder(second);
        Assert.Equal("h2", second["app:db:host"]);
        Assert.Equal("5432", second["app:db:port"]);
        Assert.Equal(ValkeyrieConfigurationState.FromSnapshotFile, second.Provider().Status.State);
        Assert.Contains(logs.Entries, e => e.EventId.Id == 5);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        await store.Inner.PutAsync("app/db/host", "h3");
        store.ComeUp();
        Assert.Equal(["app:db:host"], await secondReloads.NextAsync("recovery"));
        Assert.Equal("h3", second["app:db:host"]);
        Assert.Equal(ValkeyrieConfigurationState.Current, second.Provider().Status.State);
    }

    [Fact]
    public async Task A_damaged_snapshot_file_is_ignored_and_the_real_error_reported()
    {
        var path = Path.Combine(_directory, "damaged.json");
        await File.WriteAllTextAsync(path, "{ not a snapshot");
        await using var store = new FlakyStore(down: true);
        Assert.Throws<KvUnavailableException>(() => Kv.Build(store, s =>
        {
            s.SnapshotPath = path;
            s.StartupTimeout = TimeSpan.FromMilliseconds(500);
        }));
    }

    [Fact]
    public async Task A_permanent_watch_error_fails_startup_at_once()
    {
        await using var store = new RejectingStore();
        var started = DateTime.UtcNow;
        Assert.Throws<KvAuthenticationException>(() => Kv.Build(store, s => s.StartupTimeout = TimeSpan.FromMinutes(5)));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromMinutes(1));
    }

    /// <summary>A store whose watches are rejected as an authentication failure.</summary>
    private sealed class RejectingStore : IKvStore
    {
        private readonly MemoryKvStore _inner = new();

        public Task<KvPair?> GetAsync(string key, KvReadOptions? options = null, CancellationToken cancellationToken = default) => _inner.GetAsync(key, options, cancellationToken);

        public Task<bool> ExistsAsync(string key, KvReadOptions? options = null, CancellationToken cancellationToken = default) => _inner.ExistsAsync(key, options, cancellationToken);

        public Task<KvPair> PutAsync(string key, ReadOnlyMemory<byte> value, KvWriteOptions? options = null, CancellationToken cancellationToken = default) => _inner.PutAsync(key, value, options, cancellationToken);

        public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => _inner.DeleteAsync(key, cancellationToken);

        public Task<IReadOnlyList<KvPair>> ListAsync(string prefix, KvReadOptions? options = null, CancellationToken cancellationToken = default) => _inner.ListAsync(prefix, options, cancellationToken);

        public Task<int> DeleteTreeAsync(string prefix, CancellationToken cancellationToken = default) => _inner.DeleteTreeAsync(prefix, cancellationToken);

        public Task<KvCasResult> AtomicPutAsync(string key, ReadOnlyMemory<byte> value, ulong expectedIndex, KvWriteOptions? options = null, CancellationToken cancellationToken = default) => _inner.AtomicPutAsync(key, value, expectedIndex, options, cancellationToken);

        public Task<KvCasResult> AtomicDeleteAsync(string key, ulong expectedIndex, CancellationToken cancellationToken = default) => _inner.AtomicDeleteAsync(key, expectedIndex, cancellationToken);

        public Task<bool> CommitAsync(KvTransaction transaction, CancellationToken cancellationToken = default) => _inner.CommitAsync(transaction, cancellationToken);

        public IAsyncEnumerable<KvPair?> WatchAsync(string key, KvReadOptions? options = null, CancellationToken cancellationToken = default) => _inner.WatchAsync(key, options, cancellationToken);

        public async IAsyncEnumerable<KvTreeChange> WatchTreeAsync(string prefix, KvReadOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            throw new KvAuthenticationException("rejecting", "test", prefix, "credentials rejected (simulated).");
#pragma warning disable CS0162 // An async iterator needs a yield.
            yield break;
#pragma warning restore CS0162
        }

        public IKvLock CreateLock(string key, KvLockOptions? options = null) => _inner.CreateLock(key, options);

        public ValueTask DisposeAsync() => _inner.DisposeAsync();
    }
}
