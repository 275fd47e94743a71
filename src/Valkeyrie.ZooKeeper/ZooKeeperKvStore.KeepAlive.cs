using Valkeyrie.Backends;
using Valkeyrie.ZooKeeper.Protocol;

namespace Valkeyrie.ZooKeeper;

public sealed partial class ZooKeeperKvStore
{
    // Change-log entries kept: watchers read each entry as soon as it is announced, so only a short tail is needed;
    // one that falls further behind resynchronises with a snapshot.
    private const int ChangeLogRetained = 256;

    // About one write in this many trims the change log, so trimming costs about one delete per write.
    private const int ChangeLogTrimOdds = 32;

    /// <summary>Keep-alive keys are ephemeral nodes; remembered so they can be created again in a new session.</summary>
    private void RememberKeepAlive(string key, Durability durability, byte[] value)
    {
        if (durability.Kind == ZkNodeKind.Ephemeral)
        {
            _keptAlive[key] = value;
        }
        else
        {
            _keptAlive.TryRemove(key, out _);
        }
    }

    /// <summary>
    /// The old session expired, and with it every ephemeral node: keep-alive keys are written again (create-only, so
    /// a key someone else wrote meanwhile is left alone and forgotten). Runs in the background.
    /// </summary>
    private Task OnSessionRenewedAsync()
    {
        if (!_keptAlive.IsEmpty)
        {
            _ = Task.Run(RecreateKeptAliveAsync);
        }

        return Task.CompletedTask;
    }

    private async Task RecreateKeptAliveAsync()
    {
        var backoff = KvBackoff.CreateDefault();
        foreach (var (key, value) in _keptAlive.ToArray())
        {
            for (var attempt = 1; attempt <= 10 && !IsDisposed; attempt++)
            {
                try
                {
                    var result = await WriteKeyAsync(key, value, Durability.Ephemeral, 0, false, Disposed).ConfigureAwait(false);
                    if (!result.Succeeded)
                    {
                        _keptAlive.TryRemove(key, out _);
                    }

                    break;
                }
                catch (Exception e) when (e is ZkException { IsTransient: true } or OperationCanceledException)
                {
                    if (IsDisposed)
                    {
                        return;
                    }

                    await Task.Delay(backoff.NextDelay()).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // Background work must not crash the process; the key simply stays absent.
                catch (Exception)
#pragma warning restore CA1031
                {
                    _keptAlive.TryRemove(key, out _);
                    break;
                }
            }
        }
    }

    /// <summary>Now and then, deletes the oldest change-log entries beyond <see cref="ChangeLogRetained"/>, in the background.</summary>
    private void MaybeTrimChangeLog()
    {
#pragma warning disable CA5394 // Spreading the trimming work needs no cryptographic randomness.
        if (Random.Shared.Next(ChangeLogTrimOdds) != 0 || Interlocked.CompareExchange(ref _trimming, 1, 0) != 0)
#pragma warning restore CA5394
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                if (await _client.GetChildrenAsync(ZooKeeperPaths.ChangeLog, Disposed).ConfigureAwait(false) is { } log
                    && log.Children.Count > ChangeLogRetained)
                {
                    // Sequence suffixes have a fixed width, so name order is creation order.
                    log.Children.Sort(StringComparer.Ordinal);
                    var oldest = log.Children.Take(log.Children.Count - ChangeLogRetained)
                        .Select(name => DeleteQuietlyAsync(ZooKeeperPaths.Child(ZooKeeperPaths.ChangeLog, name), Disposed));
                    await Task.WhenAll(oldest).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is ZkException or OperationCanceledException or ObjectDisposedException)
            {
                // Trimming is best effort; the next write tries again.
            }
            finally
            {
                Volatile.Write(ref _trimming, 0);
            }
        });
    }

    internal async Task DeleteQuietlyAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await _client.DeleteAsync(path, -1, cancellationToken).ConfigureAwait(false);
        }
        catch (ZkException e) when (e.Code == ZkErrorCode.NoNode)
        {
            // Someone else deleted it first.
        }
    }
}
