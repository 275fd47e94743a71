using System.Diagnostics;
using System.Text;
using LiteDB;
using Valkeyrie.Backends;

namespace Valkeyrie.LiteDB.Tests;

/// <summary>Foreign, corrupt, encrypted, read-only and full files give clear errors and are never damaged.</summary>
public sealed class FileErrorTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task A_foreign_file_is_refused_and_left_untouched()
    {
        var content = Encoding.UTF8.GetBytes("{ \"this\": \"is appsettings.json, given by mistake\" }");
        await File.WriteAllBytesAsync(_database.FilePath, content);
        await using var store = _database.Open();

        var error = await Assert.ThrowsAsync<KvConfigurationException>(() => store.GetAsync("a"));
        Assert.Contains("not a Valkeyrie LiteDB store", error.Message);
        Assert.Contains(_database.FilePath, error.Message);
        await Assert.ThrowsAsync<KvConfigurationException>(() => store.PutAsync("a", V("1")));
        Assert.Equal(content, await File.ReadAllBytesAsync(_database.FilePath));
    }

    [Fact]
    public async Task A_corrupt_header_is_refused_and_left_untouched()
    {
        await using (var store = _database.Open())
        {
            await store.PutAsync("a", V("1"));
        }

        var bytes = await File.ReadAllBytesAsync(_database.FilePath);
        bytes[40] ^= 0xFF;
        await File.WriteAllBytesAsync(_database.FilePath, bytes);
        await using var reopened = _database.Open();
        await Assert.ThrowsAsync<KvConfigurationException>(() => reopened.GetAsync("a"));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(_database.FilePath));
    }

    [Fact]
    public async Task A_watch_on_a_foreign_file_fails_instead_of_retrying_forever()
    {
        await File.WriteAllTextAsync(_database.FilePath, "not a database");
        await using var store = _database.Open();
        await Assert.ThrowsAsync<KvConfigurationException>(async () =>
        {
            await foreach (var change in store.WatchTreeAsync("").WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token))
            {
                Assert.Fail($"unexpected {change}");
            }
        });
    }

    [Fact]
    public async Task A_LiteDB_file_with_a_case_insensitive_collation_is_refused()
    {
        using (var other = new LiteDatabase(new ConnectionString { Filename = _database.FilePath, Collation = new Collation("en-US/IgnoreCase") }))
        {
            other.GetCollection("app").Insert(new BsonDocument { ["name"] = "x" });
        }

        await using var store = _database.Open();
        var error = await Assert.ThrowsAsync<KvConfigurationException>(() => store.PutAsync("A", V("1")));
        Assert.Contains("collation", error.Message);
    }

    [Fact]
    public async Task An_encrypted_file_needs_its_password()
    {
        await using (var store = _database.Open(o => o.Password = "s3cret"))
        {
            await store.PutAsync("secret", V("1"));
            Assert.Equal("1", (await store.GetAsync("secret"))?.ValueAsString);
        }

        Assert.False(Contains(await File.ReadAllBytesAsync(_database.FilePath), "secret"), "an encrypted file does not show its keys");
        await using var wrong = _database.Open(o => o.Password = "guess");
        var error = await Assert.ThrowsAsync<KvAuthenticationException>(() => wrong.GetAsync("secret"));
        Assert.DoesNotContain("guess", error.Message);
        await using var none = _database.Open();
        await Assert.ThrowsAsync<KvAuthenticationException>(() => none.GetAsync("secret"));
    }

    [Fact]
    public async Task A_password_for_a_plain_file_is_a_configuration_error()
    {
        await using (var store = _database.Open())
        {
            await store.PutAsync("a", V("1"));
        }

        await using var withPassword = _database.Open(o => o.Password = "unneeded");
        await Assert.ThrowsAsync<KvConfigurationException>(() => withPassword.GetAsync("a"));
    }

    [Fact]
    public async Task A_read_only_store_reads_and_watches_but_refuses_writes()
    {
        await using var writer = _database.Open();
        await writer.PutAsync("app/a", V("1"));
        await using var reader = _database.Open(o => o.ReadOnly = true);
        Assert.Equal("1", (await reader.GetAsync("app/a"))?.ValueAsString);
        var before = await File.ReadAllBytesAsync(_database.FilePath);

        await Assert.ThrowsAsync<KvAuthenticationException>(() => reader.PutAsync("app/b", V("2")));
        await Assert.ThrowsAsync<KvAuthenticationException>(() => reader.DeleteAsync("app/a"));
        await Assert.ThrowsAsync<KvAuthenticationException>(() => reader.CreateLock("app/lock").AcquireAsync());
        Assert.Equal(before, await File.ReadAllBytesAsync(_database.FilePath));

        await using var watch = new Testing.Conformance.StreamReader<KvTreeChange>(ct => reader.WatchTreeAsync("app", cancellationToken: ct));
        await watch.NextAsync(TimeSpan.FromSeconds(30), "the snapshot");
        await writer.PutAsync("app/c", V("3"));
        await watch.NextMatchingAsync(c => c.Events.Any(e => e.Key == "app/c"), TimeSpan.FromSeconds(30), "the writer's change");
    }

    [Fact]
    public async Task A_read_only_store_never_creates_a_missing_file()
    {
        await using var reader = _database.Open(o => o.ReadOnly = true);
        await Assert.ThrowsAsync<KvConfigurationException>(() => reader.GetAsync("a"));
        Assert.False(File.Exists(_database.FilePath));
    }

    [Fact]
    public async Task A_file_the_process_may_not_write_serves_reads_and_refuses_writes()
    {
        await using (var store = _database.Open())
        {
            await store.PutAsync("a", V("1"));
        }

        // Root ignores permission bits, so the file is made immutable instead; others get a read-only file.
        var immutable = Environment.IsPrivilegedProcess;
        if (immutable)
        {
            await RunAsync("chattr", "+i", _database.FilePath);
        }
        else if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_database.FilePath, UnixFileMode.UserRead);
        }

        try
        {
            await using var store = _database.Open();
            Assert.Equal("1", (await store.GetAsync("a"))?.ValueAsString);
            var error = await Assert.ThrowsAsync<KvAuthenticationException>(() => store.PutAsync("a", V("2")));
            Assert.Contains("readonly", error.Message);
            Assert.Equal("1", (await store.GetAsync("a"))?.ValueAsString);
        }
        finally
        {
            if (immutable)
            {
                await RunAsync("chattr", "-i", _database.FilePath);
            }
        }
    }

    [Fact]
    public async Task A_full_disk_refuses_writes_without_partial_writes()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Assert.Fail("This test mounts a 1 MiB tmpfs to fill a disk and must run as root (the CI machine does).");
        }

        await RunAsync("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", _database.Directory);
        try
        {
            var written = new List<string>();
            KvException? failure = null;
            await using (var store = _database.Open())
            {
                var value = new byte[64 * 1024];
                for (var i = 0; i < 40 && failure is null; i++)
                {
                    try
                    {
                        await store.PutAsync($"big/{i}", value);
                        written.Add($"big/{i}");
                    }
                    catch (KvException e)
                    {
                        failure = e;
                        Assert.Null(await store.GetAsync($"big/{i}"));
                    }
                }

                Assert.IsType<KvLimitExceededException>(failure);
                Assert.Contains("disk", failure!.Message);
                Assert.NotEmpty(written);
                Assert.Equal(written, (await store.ListAsync("big")).Select(p => p.Key));
                Assert.True(await store.DeleteAsync(written[0]), "deletes still work to free space");
            }

            await using var reopened = _database.Open();
            Assert.Equal(written.Skip(1), (await reopened.ListAsync("big")).Select(p => p.Key));
        }
        finally
        {
            await RunAsync("umount", _database.Directory);
        }
    }

    [Fact]
    public async Task A_value_over_the_limit_is_refused()
    {
        await using var store = _database.Open();
        await Assert.ThrowsAsync<KvLimitExceededException>(() => store.PutAsync("big", new byte[KvStoreLimits.LiteDB.MaxValueBytes + 1]));
        await store.PutAsync("big", new byte[KvStoreLimits.LiteDB.MaxValueBytes]);
    }

    [Fact]
    public async Task A_watcher_behind_the_trimmed_change_log_gets_history_lost_then_a_snapshot()
    {
        await using var store = _database.Open(o => o.ChangeLogRevisions = 5);
        var first = await store.PutAsync("k/0", V("0"));
        for (var i = 1; i <= 10; i++)
        {
            await store.PutAsync($"k/{i}", V(i.ToString()));
        }

        IKvChangeFeed feed = store;
        await Assert.ThrowsAsync<KvHistoryLostException>(async () =>
        {
            await foreach (var unused in feed.ReadChangesAsync(KvScope.ForTree("k"), first.LastIndex, KvReadOptions.Default, CancellationToken.None))
            {
            }
        });

        var recent = new List<KvTreeChange>();
        using var stop = new CancellationTokenSource();
        await foreach (var batch in feed.ReadChangesAsync(KvScope.ForTree("k"), first.LastIndex + 6, KvReadOptions.Default, stop.Token))
        {
            recent.Add(batch);
            if (batch.Events.Count == 0)
            {
                break;
            }
        }

        Assert.Equal(["k/7", "k/8", "k/9", "k/10"], recent.SelectMany(b => b.Events).Select(e => e.Key));
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            Assert.Fail($"'{program} {string.Join(' ', arguments)}' failed: {await process.StandardError.ReadToEndAsync()}");
        }
    }

    private static bool Contains(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;

    private static byte[] V(string text) => Encoding.UTF8.GetBytes(text);
}
