using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Valkeyrie.Configuration.Internal;

namespace Valkeyrie.Configuration;

// Reloads: the working index becomes the published one once per coalesced batch, and subscribers learn what changed.
public sealed partial class ValkeyrieConfigurationProvider
{
    private async Task PublishLoopAsync(WatchSession session)
    {
        try
        {
            // Leading edge: the first change after a quiet period is published at once; what arrives within
            // ReloadDelay of a publish is gathered into the next one, so a burst still gives few reloads.
            long? lastPublish = null;
            while (true)
            {
                await session.Dirty.WaitAsync(session.Token).ConfigureAwait(false);
                var quietFor = lastPublish is { } last ? Stopwatch.GetElapsedTime(last) : TimeSpan.MaxValue;
                if (quietFor < _source.ReloadDelay)
                {
                    await Task.Delay(_source.ReloadDelay - quietFor, session.Token).ConfigureAwait(false);
                }

                Publish(session);
                lastPublish = Stopwatch.GetTimestamp();
            }
        }
        catch (OperationCanceledException) when (session.Token.IsCancellationRequested)
        {
            // Stopped.
        }
#pragma warning disable CA1031 // Never an unhandled exception on a background thread.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.HandlerFailed(_logger, e);
        }
    }

    private void Publish(WatchSession session)
    {
        using var activity = Telemetry.ActivitySource.StartActivity("valkeyrie.configuration.reload");
        List<string> changed;
        ConfigurationIndex published;
        TimeSpan latency;
        lock (_gate)
        {
            if (session != _session)
            {
                return;
            }

            latency = _pendingSince is { } since ? Stopwatch.GetElapsedTime(since) : TimeSpan.Zero;
            _pendingSince = null;
            var touched = _working.TakeTouched();
            published = _working.ToImmutable();
            changed = ConfigurationIndex.Diff(_published, published, touched);
            _published = published;
        }

        activity?.SetTag("valkeyrie.changed_keys", changed.Count);
        if (changed.Count == 0)
        {
            return;
        }

        changed.Sort(StringComparer.OrdinalIgnoreCase);
        Telemetry.Reloads.Add(1, Telemetry.Tag("valkeyrie.store", StoreName));
        Telemetry.ReloadLatency.Record(latency.TotalSeconds, Telemetry.Tag("valkeyrie.store", StoreName));
        Log.Reloaded(_logger, StoreName, changed.Count, latency.TotalMilliseconds);
        Notify(() => Interlocked.Exchange(ref _reloadToken, new ConfigurationReloadToken()).OnReload());
        Notify(() => Changed?.Invoke(this, new ValkeyrieConfigurationChangedEventArgs(changed, latency)));

        WriteSnapshotFile(published);
    }

    private void Notify(Action notify)
    {
        try
        {
            notify();
        }
#pragma warning disable CA1031 // A subscriber's bug must not stop reloads.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.HandlerFailed(_logger, e);
        }
    }

    private void WriteSnapshotFile(ConfigurationIndex index)
    {
        if (_source.SnapshotPath is not { } path)
        {
            return;
        }

        try
        {
            SnapshotFile.Write(path, _prefixes, index);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Telemetry.Failures.Add(1, Telemetry.Tag("valkeyrie.store", StoreName), Telemetry.Tag("valkeyrie.operation", "snapshot_file"));
            Log.SnapshotWriteFailed(_logger, e, path);
        }
    }
}
