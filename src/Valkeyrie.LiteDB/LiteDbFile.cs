using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using LiteDB;

namespace Valkeyrie.LiteDB;

/// <summary>
/// The process-wide access point to one database file, shared by every store of the process that opens it with the
/// same options. Every call opens the file, works and closes it while holding an in-process gate and a named
/// cross-process mutex (the same one LiteDB's own shared mode uses), so several stores and processes can use the file.
/// It also carries the change signal: writes of this process complete it at once, and a poller completes it when
/// another process advanced the file's revision; the poller also sweeps expired keys so watchers see them deleted.
/// </summary>
#pragma warning disable CA1001 // Reference-counted: the last ReleaseAsync disposes what it owns, once no call holds it.
internal sealed class LiteDbFile
#pragma warning restore CA1001
{
    private static readonly Dictionary<string, LiteDbFile> OpenFiles = new(StringComparer.Ordinal);
    private static readonly object OpenFilesLock = new();
    private static readonly string BinaryCollation = Collation.Binary.ToString();

    private readonly string _registryKey;
    private readonly LiteDbKvStoreOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Mutex _mutex;
    private readonly CancellationTokenSource _stopPolling = new();
    private readonly object _signalLock = new();
    private TaskCompletionSource _changed = NewSignal();
    private ulong _knownRevision;
    private LiteDbFileStamp? _leftByUs;
    private int _references;
    private Task _poller = Task.CompletedTask;

    private LiteDbFile(string registryKey, string fullPath, LiteDbKvStoreOptions options)
    {
        _registryKey = registryKey;
        FullPath = fullPath;
        _options = options;

        // LiteDB's shared mode names its mutex after the SHA-1 of the lower-cased full path; using the same name
        // means LiteDB tools opening the file in shared mode are serialised with us too.
#pragma warning disable CA5350 // A name, not a security measure: it must equal LiteDB's.
        var hash = Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(fullPath.ToLowerInvariant())));
#pragma warning restore CA5350
        _mutex = new Mutex(false, "Global\\" + hash + ".Mutex");
    }

    public string FullPath { get; }

    /// <summary>How the file is named in messages: its full path (a password is never part of it).</summary>
    public string Endpoint => FullPath;

    /// <summary>Completes at the next change seen in this process; read it before reading the data it guards.</summary>
    public Task Changed
    {
        get
        {
            lock (_signalLock)
            {
                return _changed.Task;
            }
        }
    }

    /// <summary>Gets the shared access point for a file and these options, starting its poller on first use.</summary>
    public static LiteDbFile Acquire(LiteDbKvStoreOptions options)
    {
        var fullPath = Path.GetFullPath(options.FilePath);
        var registryKey = string.Join(
            '\n', fullPath, options.ReadOnly, options.PollInterval.Ticks, options.OperationTimeout.Ticks, options.ChangeLogRevisions, options.Password ?? string.Empty);
        lock (OpenFilesLock)
        {
            if (!OpenFiles.TryGetValue(registryKey, out var file))
            {
                file = new LiteDbFile(registryKey, fullPath, options.Clone());
                OpenFiles.Add(registryKey, file);
                file._poller = Task.Run(file.PollAsync);
            }

            file._references++;
            return file;
        }
    }

    /// <summary>Drops one store's reference; the last one stops the poller.</summary>
    public async Task ReleaseAsync()
    {
        lock (OpenFilesLock)
        {
            if (--_references > 0)
            {
                return;
            }

            OpenFiles.Remove(_registryKey);
        }

        await _stopPolling.CancelAsync().ConfigureAwait(false);
        await _poller.ConfigureAwait(false);
        _stopPolling.Dispose();

        // Close the mutex only when no call holds it: closing an owned named mutex would leave it locked for other
        // processes until this one exits. A call still stuck after the timeout keeps it; the finalizer closes it.
        if (await _gate.WaitAsync(_options.OperationTimeout).ConfigureAwait(false))
        {
            _mutex.Dispose();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on one thread with the file open and locked against every other store and process,
    /// then publishes the revision it left. Waits at most the operation timeout for the lock.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<LiteDbSession, T> work, string? key, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(_options.OperationTimeout);
            try
            {
                await _gate.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw LiteDbErrors.Busy(Endpoint, key, _options.OperationTimeout);
            }
        }

        try
        {
            var remaining = _options.OperationTimeout - Stopwatch.GetElapsedTime(started);
            var (result, revision) = await Task.Run(() => RunLocked(work, key, remaining), CancellationToken.None).ConfigureAwait(false);
            Publish(revision);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Records a revision seen in the file and wakes every waiter when it differs from the last one seen.</summary>
    public void Publish(ulong revision)
    {
        TaskCompletionSource changed;
        lock (_signalLock)
        {
            if (revision == _knownRevision)
            {
                return;
            }

            _knownRevision = revision;
            changed = _changed;
            _changed = NewSignal();
        }

        changed.SetResult();
    }

    private (T Result, ulong Revision) RunLocked<T>(Func<LiteDbSession, T> work, string? key, TimeSpan timeout)
    {
        bool owned;
        try
        {
            owned = _mutex.WaitOne(timeout > TimeSpan.Zero ? timeout : TimeSpan.Zero);
        }
        catch (AbandonedMutexException)
        {
            // A process died while holding the file; LiteDB's log recovery discards its unfinished transaction.
            owned = true;
        }

        if (!owned)
        {
            throw LiteDbErrors.Busy(Endpoint, key, _options.OperationTimeout);
        }

        try
        {
            return OpenAndRun(work, key);
        }
        catch (Exception e)
        {
            var mapped = LiteDbErrors.Map(e, Endpoint, key);
            if (ReferenceEquals(mapped, e))
            {
                throw;
            }

            throw mapped;
        }
        finally
        {
            Volatile.Write(ref _leftByUs, LiteDbFileStamp.Read(FullPath));
            _mutex.ReleaseMutex();
        }
    }

    private (T Result, ulong Revision) OpenAndRun<T>(Func<LiteDbSession, T> work, string? key)
    {
        var isNew = LiteDbSchema.CheckFile(FullPath, Endpoint, _options.Password is not null);
        if (isNew && _options.ReadOnly)
        {
            throw new KvConfigurationException(
                $"{LiteDbErrors.Backend} at {Endpoint}: the database file does not exist, and a read-only store never creates it. Check the path.");
        }

        var writable = !_options.ReadOnly;
        LiteDatabase database;
        try
        {
            database = Open(writable, isNew);
        }
        catch (UnauthorizedAccessException) when (writable && !isNew)
        {
            // A file this process may only read still serves reads; writes then fail with a clear permission error.
            writable = false;
            database = Open(writable, isNew);
        }

        using (database)
        {
            var collation = database.Pragma("COLLATION").AsString;
            if (collation != BinaryCollation)
            {
                throw LiteDbErrors.NotAStore(Endpoint, $"it was created with LiteDB collation '{collation}', but keys need the ordinal collation '{BinaryCollation}'");
            }

            Func<string?, Exception> denyWrite = _options.ReadOnly
                ? k => LiteDbErrors.ReadOnly(Endpoint, k)
                : k => LiteDbErrors.Map(new UnauthorizedAccessException(), Endpoint, k);
            var session = new LiteDbSession(database, writable ? null : denyWrite, _options.ChangeLogRevisions, Endpoint);
            session.SweepExpired();
            var result = work(session);
            return (result, session.Revision);
        }
    }

    private LiteDatabase Open(bool writable, bool isNew) => new(new ConnectionString
    {
        Filename = FullPath,
        Connection = ConnectionType.Direct,
        Password = _options.Password,
        ReadOnly = !writable,
        Upgrade = false,
        AutoRebuild = false,

        // Keys sort and match ordinally; the collation is fixed when the file is created.
        Collation = isNew ? Collation.Binary : null,
    });

    private async Task PollAsync()
    {
        using var changes = new LiteDbFileChanges(FullPath);
        var lastRead = Stopwatch.GetTimestamp();
        try
        {
            while (true)
            {
                var woken = await changes.WaitAsync(_options.PollInterval, _stopPolling.Token).ConfigureAwait(false);

                // An event our own call caused leaves the file as we left it: nothing to read. The interval still
                // bounds the wait, in case a file system's coarse timestamps hide another process's write.
                if (woken && Stopwatch.GetElapsedTime(lastRead) < _options.PollInterval && await IsAsWeLeftItAsync().ConfigureAwait(false))
                {
                    continue;
                }

                lastRead = Stopwatch.GetTimestamp();

                try
                {
                    // Opening the session reads the revision and sweeps expired keys; RunAsync publishes the revision.
                    await RunAsync(_ => true, null, _stopPolling.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is KvException or OperationCanceledException)
                {
                    // The file is briefly unavailable or the store is closing; readers report errors themselves.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Released.
        }
    }

    // Compared between our own calls (under the process's gate): while one runs, the file is mid-write and would always
    // look changed. Another process's write since our last call changes the stamp.
    private async Task<bool> IsAsWeLeftItAsync()
    {
        await _gate.WaitAsync(_stopPolling.Token).ConfigureAwait(false);
        try
        {
            return LiteDbFileStamp.Read(FullPath) == Volatile.Read(ref _leftByUs);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
