using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Valkeyrie.Testing.Conformance.Configuration;

/// <summary>Records every value an <see cref="IOptionsMonitor{T}"/> announces, so tests wait for changes instead of sleeping.</summary>
/// <typeparam name="T">The options type.</typeparam>
public sealed class OptionsMonitorRecorder<T> : IDisposable
{
    private readonly Channel<T> _changes = Channel.CreateUnbounded<T>();
    private readonly IDisposable? _subscription;

    /// <summary>Subscribes to <paramref name="monitor"/>.</summary>
    /// <param name="monitor">The monitor to record.</param>
    public OptionsMonitorRecorder(IOptionsMonitor<T> monitor)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        _subscription = monitor.OnChange(value => _changes.Writer.TryWrite(value));
    }

    /// <summary>Waits for an announced value that satisfies <paramref name="match"/>, skipping earlier ones.</summary>
    /// <param name="match">What the value must satisfy.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="what">What is awaited, for the failure message.</param>
    public async Task<T> NextMatchingAsync(Func<T, bool> match, TimeSpan timeout, string what)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var value = await _changes.Reader.ReadAsync(cancel.Token);
                if (match(value))
                {
                    return value;
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Assert.Fail($"IOptionsMonitor.OnChange did not announce {what} within {timeout.TotalSeconds:0.#} s");
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _subscription?.Dispose();
}
