using System.Runtime.CompilerServices;
using Etcdserverpb;
using Grpc.Core;
using Mvccpb;
using Valkeyrie.Backends;

namespace Valkeyrie.Etcd;

/// <summary>
/// Watches on etcd's revision history: a scope is read with one range (its header revision is the snapshot's
/// revision) and changes are streamed by an etcd watch starting at the next revision, so nothing written in
/// between is missed. A watch on a compacted revision reports <see cref="KvHistoryLostException"/> (a fresh snapshot).
/// </summary>
internal sealed class EtcdChangeFeed(EtcdConnection connection) : IKvChangeFeed
{
    public async Task<KvScopeSnapshot> ReadScopeAsync(KvScope scope, KvReadOptions options, CancellationToken cancellationToken)
    {
        var response = await connection.CallAsync(
            scope.Key,
            o => connection.Kv.RangeAsync(EtcdKeys.Range(scope, options), o).ResponseAsync,
            cancellationToken).ConfigureAwait(false);
        return new KvScopeSnapshot(EtcdKeys.ToPairs(scope, response.Kvs), (ulong)response.Header.Revision);
    }

    public async IAsyncEnumerable<KvTreeChange> ReadChangesAsync(
        KvScope scope, ulong afterRevision, KvReadOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (key, rangeEnd) = EtcdKeys.Bounds(scope);
        var create = new WatchCreateRequest
        {
            Key = key,
            RangeEnd = rangeEnd,
            StartRevision = (long)afterRevision + 1,
            ProgressNotify = true,
        };

        // A token that expired with a server restart makes etcd cancel the watch as "permission denied"; the second
        // attempt uses a fresh token, so a denial then is real.
        for (var attempt = 0; ; attempt++)
        {
            var callOptions = await connection.StreamOptionsAsync(scope.Key, cancellationToken).ConfigureAwait(false);
            using var call = connection.Watch.Watch(callOptions);
            await SendAsync(call, new WatchRequest { CreateRequest = create }, scope, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                var response = await ReceiveAsync(call, scope, cancellationToken).ConfigureAwait(false);
                if (response.CompactRevision != 0)
                {
                    throw new KvHistoryLostException(
                        $"etcd at {connection.Endpoint}: history after revision {afterRevision} was compacted (up to {response.CompactRevision}); reading a fresh snapshot.");
                }

                if (response.Canceled)
                {
                    if (attempt == 0 && response.CancelReason.Contains("permission denied", StringComparison.Ordinal))
                    {
                        connection.InvalidateToken(callOptions.Headers);
                        break;
                    }

                    throw CancelledWatch(scope, response.CancelReason);
                }

                if (response.Created)
                {
                    continue;
                }

                if (response.Events.Count == 0)
                {
                    // A progress notification: every change up to this revision was delivered.
                    yield return KvTreeChange.FromEvents([], (ulong)response.Header.Revision);
                    continue;
                }

                // One batch per revision (one write or one transaction). The header revision can run ahead of the
                // events while a watcher catches up, so only the events' own revisions are trusted for resuming.
                foreach (var batch in Batches(scope, response.Events))
                {
                    yield return batch;
                }
            }
        }
    }

    private static IEnumerable<KvTreeChange> Batches(KvScope scope, IEnumerable<Event> events)
    {
        List<KvEvent> batch = [];
        long revision = 0;
        foreach (var e in events)
        {
            if (e.Kv.ModRevision != revision && revision != 0)
            {
                yield return KvTreeChange.FromEvents(batch, (ulong)revision);
                batch = [];
            }

            revision = e.Kv.ModRevision;
            var key = e.Kv.Key.ToStringUtf8();
            if (EtcdKeys.IsVisible(scope, key))
            {
                batch.Add(e.Type == Event.Types.EventType.Put ? KvEvent.Put(EtcdKeys.ToPair(e.Kv)) : KvEvent.Delete(key, (ulong)revision));
            }
        }

        yield return KvTreeChange.FromEvents(batch, (ulong)revision);
    }

    private async Task SendAsync(AsyncDuplexStreamingCall<WatchRequest, WatchResponse> call, WatchRequest request, KvScope scope, CancellationToken cancellationToken)
    {
        try
        {
            await call.RequestStream.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw connection.Map(e, scope.Key, cancellationToken);
        }
    }

    private async Task<WatchResponse> ReceiveAsync(AsyncDuplexStreamingCall<WatchRequest, WatchResponse> call, KvScope scope, CancellationToken cancellationToken)
    {
        try
        {
            if (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                return call.ResponseStream.Current;
            }
        }
        catch (Exception e)
        {
            throw connection.Map(e, scope.Key, cancellationToken);
        }

        throw connection.Unavailable(scope.Key, "the watch stream was closed by the server");
    }

    private KvException CancelledWatch(KvScope scope, string reason) =>
        reason.Contains("permission denied", StringComparison.Ordinal)
            ? new KvAuthenticationException("etcd", connection.Endpoint, scope.Key,
                "the server refused the watch (permission denied); grant the user read permission on this key range.")
            : connection.Unavailable(scope.Key, $"the server cancelled the watch ({reason})");
}
