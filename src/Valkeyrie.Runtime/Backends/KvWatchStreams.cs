using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Valkeyrie.Backends;

/// <summary>
/// Turns a backend's <see cref="IKvChangeFeed"/> into the public watch streams. Transient failures are retried with
/// <see cref="KvBackoff"/> and resumed from the last revision seen; a lost history yields a fresh snapshot;
/// permanent failures are thrown to the consumer. The consumer's token ends the stream with
/// <see cref="OperationCanceledException"/>; disposing the store ends it quietly.
/// </summary>
public static class KvWatchStreams
{
    /// <summary>Implements <see cref="IKvStore.WatchTreeAsync"/> over a change feed.</summary>
    /// <param name="feed">The backend's feed.</param>
    /// <param name="prefix">The prefix as given by the caller (validated here).</param>
    /// <param name="options">Read options.</param>
    /// <param name="storeDisposed">Fires when the store is disposed.</param>
    /// <param name="cancellationToken">The consumer's token.</param>
    public static IAsyncEnumerable<KvTreeChange> WatchTreeAsync(
        IKvChangeFeed feed,
        string prefix,
        KvReadOptions? options,
        CancellationToken storeDisposed,
        CancellationToken cancellationToken = default) =>
        WatchScopeAsync(feed, KvScope.ForTree(KvKeys.NormalizePrefix(prefix)), options, storeDisposed, cancellationToken);

    /// <summary>Implements <see cref="IKvStore.WatchAsync"/> over a change feed.</summary>
    /// <param name="feed">The backend's feed.</param>
    /// <param name="key">The key as given by the caller (validated here).</param>
    /// <param name="options">Read options.</param>
    /// <param name="storeDisposed">Fires when the store is disposed.</param>
    /// <param name="cancellationToken">The consumer's token.</param>
    public static async IAsyncEnumerable<KvPair?> WatchKeyAsync(
        IKvChangeFeed feed,
        string key,
        KvReadOptions? options,
        CancellationToken storeDisposed,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var scope = KvScope.ForKey(KvKeys.Normalize(key));
        var first = true;
        KvPair? current = null;
        await foreach (var change in WatchScopeAsync(feed, scope, options, storeDisposed, cancellationToken).ConfigureAwait(false))
        {
            if (change.IsSnapshot)
            {
                // The first snapshot is the current value; a later one (after lost history) only when it differs.
                var fresh = change.Snapshot.Count > 0 ? change.Snapshot[0] : null;
                if (first || fresh?.LastIndex != current?.LastIndex)
                {
                    first = false;
                    current = fresh;
                    yield return current;
                }

                continue;
            }

            foreach (var e in change.Events)
            {
                current = e.Pair;
                yield return current;
            }
        }
    }

    // The one retry/resume/snapshot loop behind both public streams: a snapshot, then batches of the scope's events.
    private static async IAsyncEnumerable<KvTreeChange> WatchScopeAsync(
        IKvChangeFeed feed,
        KvScope scope,
        KvReadOptions? options,
        CancellationToken storeDisposed,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feed);
        options ??= KvReadOptions.Default;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, storeDisposed);
        var backoff = KvBackoff.CreateDefault();

        var snapshot = await ReadAsync(feed, scope, options, backoff, storeDisposed, linked.Token).ConfigureAwait(false);
        if (snapshot is null)
        {
            yield break;
        }

        var applied = new KvAppliedState();
        var reconcile = new KvReconcileClock(options.ReconcileInterval);
        var first = KvTreeChange.FromSnapshot(snapshot.Pairs, snapshot.Revision);
        applied.Apply(first);
        yield return first;
        var revision = snapshot.Revision;
        while (true)
        {
            using var feedStop = CancellationTokenSource.CreateLinkedTokenSource(linked.Token);
            var enumerator = feed.ReadChangesAsync(scope, revision, options, feedStop.Token).GetAsyncEnumerator(feedStop.Token);
            Exception? failure = null;
            Task<Exception?>? next = null;
            var restart = false;
            try
            {
                while (true)
                {
                    next ??= MoveNextAsync(enumerator);
                    if (!await reconcile.WaitAsync(next, linked.Token).ConfigureAwait(false))
                    {
                        // The backstop: a fresh read compared with what was delivered catches what the feed missed.
                        var fresh = await TryReadAsync(feed, scope, options, linked.Token).ConfigureAwait(false);
                        if (fresh is null || fresh.Revision < revision)
                        {
                            continue; // unreadable or behind this watch: the next round tries again
                        }

                        var missed = applied.Reconcile(fresh);
                        restart = fresh.Revision > revision; // the feed has not caught up: resume it after the fresh read
                        if (missed.Count > 0)
                        {
                            yield return KvTreeChange.FromEvents(missed, Math.Max(revision, fresh.Revision));
                        }

                        if (restart)
                        {
                            revision = fresh.Revision;
                            break;
                        }

                        continue;
                    }

                    failure = await next.ConfigureAwait(false);
                    next = null;
                    if (failure is not null)
                    {
                        break;
                    }

                    backoff.Reset();
                    var batch = enumerator.Current;
                    revision = Math.Max(revision, batch.Revision);
                    var events = batch.Events.Where(e => scope.Contains(e.Key)).ToList();
                    if (events.Count > 0)
                    {
                        var change = events.Count == batch.Events.Count ? batch : KvTreeChange.FromEvents(events, batch.Revision);
                        applied.Apply(change);
                        yield return change;
                    }
                }
            }
            finally
            {
                // A pending read must end before its enumerator may be disposed.
                await feedStop.CancelAsync().ConfigureAwait(false);
                if (next is not null)
                {
                    await next.ConfigureAwait(false);
                }

                await DisposeQuietlyAsync(enumerator).ConfigureAwait(false);
            }

            if (restart)
            {
                continue;
            }

            if (failure is KvHistoryLostException)
            {
                snapshot = await ReadAsync(feed, scope, options, backoff, storeDisposed, linked.Token).ConfigureAwait(false);
                if (snapshot is null)
                {
                    yield break;
                }

                revision = snapshot.Revision;
                var fresh = KvTreeChange.FromSnapshot(snapshot.Pairs, snapshot.Revision);
                applied.Apply(fresh);
                yield return fresh;
            }
            else if (!await RecoverAsync(failure, backoff, storeDisposed, cancellationToken, linked.Token).ConfigureAwait(false))
            {
                yield break;
            }
        }
    }

    // One reconciliation read; null when it failed transiently or was cancelled (the feed reports both by itself).
    private static async Task<KvScopeSnapshot?> TryReadAsync(IKvChangeFeed feed, KvScope scope, KvReadOptions options, CancellationToken token)
    {
        try
        {
            return await feed.ReadScopeAsync(scope, options, token).ConfigureAwait(false);
        }
        catch (Exception e) when (IsTransient(e) || token.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Whether a failure is worth retrying: anything but credentials, configuration, bad arguments and disposal.</summary>
    /// <param name="exception">The failure.</param>
    public static bool IsTransient(Exception exception) => exception is not (
        KvAuthenticationException or KvConfigurationException or ArgumentException or ObjectDisposedException or NotSupportedException);

    // Reads a scope, retrying transient failures; null when the store was disposed meanwhile.
    private static async Task<KvScopeSnapshot?> ReadAsync(
        IKvChangeFeed feed, KvScope scope, KvReadOptions options, KvBackoff backoff, CancellationToken storeDisposed, CancellationToken token)
    {
        while (true)
        {
            Exception failure;
            try
            {
                var snapshot = await feed.ReadScopeAsync(scope, options, token).ConfigureAwait(false);
                backoff.Reset();
                return snapshot;
            }
            catch (Exception e)
            {
                failure = e;
            }

            if (storeDisposed.IsCancellationRequested)
            {
                return null;
            }

            token.ThrowIfCancellationRequested();
            if (!IsTransient(failure))
            {
                ExceptionDispatchInfo.Throw(failure);
            }

            if (!await DelayAsync(backoff, storeDisposed, token).ConfigureAwait(false))
            {
                return null;
            }
        }
    }

    // After the change stream ended: true to resume, false when the store was disposed; throws for the consumer's
    // cancellation and for permanent failures.
    private static async Task<bool> RecoverAsync(
        Exception? failure, KvBackoff backoff, CancellationToken storeDisposed, CancellationToken consumer, CancellationToken token)
    {
        if (storeDisposed.IsCancellationRequested)
        {
            return false;
        }

        consumer.ThrowIfCancellationRequested();
        if (failure is not null && failure is not EndOfStreamException && !IsTransient(failure))
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        return await DelayAsync(backoff, storeDisposed, token).ConfigureAwait(false);
    }

    private static async Task<bool> DelayAsync(KvBackoff backoff, CancellationToken storeDisposed, CancellationToken token)
    {
        try
        {
            await backoff.DelayAsync(token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (storeDisposed.IsCancellationRequested)
        {
            return false;
        }
    }

    // Returns null when an item is available, the failure otherwise (a feed that ends is a failure too:
    // streams never end silently, so it is resumed).
    private static async Task<Exception?> MoveNextAsync(IAsyncEnumerator<KvTreeChange> enumerator)
    {
        try
        {
            return await enumerator.MoveNextAsync().ConfigureAwait(false) ? null : new EndOfStreamException("The change feed ended.");
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private static async ValueTask DisposeQuietlyAsync(IAsyncEnumerator<KvTreeChange> enumerator)
    {
        try
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or KvException or IOException)
        {
            // The stream already failed or was cancelled; the failure that matters was captured.
        }
    }
}
