using System.Diagnostics;
using System.Globalization;

namespace Valkeyrie.Benchmarks.Harness;

/// <summary>The intermediate floor: Valkeyrie's own <c>WatchTreeAsync</c> on a store connection of its own, no configuration layer.</summary>
public sealed class WatchTreeProbe(string connectionString) : IReloadProbe
{
    private readonly CancellationTokenSource _stop = new();
    private IKvStore? _store;
    private Task? _loop;

    /// <inheritdoc />
    public string Name => "Valkeyrie WatchTreeAsync";

    /// <inheritdoc />
    public async Task StartAsync(Action<int?, long> onNotified)
    {
        _store = KvStoreFactory.Create(connectionString);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _loop = Task.Run(async () =>
        {
            try
            {
                await foreach (var change in _store.WatchTreeAsync("bench/settings", cancellationToken: _stop.Token))
                {
                    var now = Stopwatch.GetTimestamp();
                    listening.TrySetResult();
                    foreach (var e in change.Events)
                    {
                        if (e.Key == "bench/settings/Port" && e.Pair is { } pair)
                        {
                            onNotified(int.Parse(pair.ValueAsString, CultureInfo.InvariantCulture), now);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // Stopped.
            }
            catch (Exception e)
            {
                listening.TrySetException(e);
                throw;
            }
        });
        await listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        _stop.Dispose();
    }
}
