using System.Threading.Channels;

namespace Valkeyrie.Testing.Conformance;

/// <summary>
/// Pumps a watch stream into a channel in the background so a test can await the next item with a timeout, and
/// observe how the stream ended.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class StreamReader<T> : IAsyncDisposable
{
    private readonly Channel<T> _items = Channel.CreateUnbounded<T>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;

    /// <summary>Starts reading the stream produced by <paramref name="open"/> with a token this reader controls.</summary>
    public StreamReader(Func<CancellationToken, IAsyncEnumerable<T>> open)
    {
        _pump = Task.Run(async () =>
        {
            try
            {
                await foreach (var item in open(_stop.Token))
                {
                    await _items.Writer.WriteAsync(item);
                }

                _items.Writer.TryComplete();
            }
            catch (Exception e)
            {
                _items.Writer.TryComplete(e);
            }
        });
    }

    /// <summary>How the stream ended, once it has.</summary>
    public Task Completion => _items.Reader.Completion;

    /// <summary>The next item, or a test failure after <paramref name="timeout"/>.</summary>
    public async Task<T> NextAsync(TimeSpan timeout, string what = "the next watch item")
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await _items.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new Xunit.Sdk.XunitException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}.");
        }
    }

    /// <summary>Reads items until one matches, failing after <paramref name="timeout"/>.</summary>
    public async Task<T> NextMatchingAsync(Func<T, bool> match, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            var item = await NextAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1), what);
            if (match(item))
            {
                return item;
            }
        }
    }

    /// <summary>Whether an item arrives within <paramref name="wait"/> (for checking that nothing spurious arrives).</summary>
    public async Task<bool> HasItemWithinAsync(TimeSpan wait)
    {
        using var cts = new CancellationTokenSource(wait);
        try
        {
            return await _items.Reader.WaitToReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Cancels the stream and measures that it stops.</summary>
    public async Task CancelAsync()
    {
        await _stop.CancelAsync();
        await _pump;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await CancelAsync();
        _stop.Dispose();
    }
}
