namespace Valkeyrie.Benchmarks.Harness;

/// <summary>
/// Something that observes writes of <c>bench/settings/Port</c>: Valkeyrie's <c>IOptionsMonitor</c>, its
/// <c>WatchTreeAsync</c>, or the backend's own notification through its raw client. <see cref="StartAsync"/> returns
/// once the observer is listening; from then on it calls the callback with the value it saw (or null when the
/// notification carries none) and the <see cref="System.Diagnostics.Stopwatch"/> timestamp of the moment it saw it.
/// </summary>
public interface IReloadProbe : IAsyncDisposable
{
    /// <summary>The probe's name in the results.</summary>
    string Name { get; }

    /// <summary>Starts listening.</summary>
    /// <param name="onNotified">Called with the observed port (null when unknown) and the timestamp.</param>
    Task StartAsync(Action<int?, long> onNotified);
}
