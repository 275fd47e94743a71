using System.Threading.Channels;
using Microsoft.Extensions.Configuration;

namespace Valkeyrie.Configuration.Tests.Support;

/// <summary>Records a provider's reloads so tests wait for events instead of sleeping.</summary>
public sealed class ReloadRecorder : IDisposable
{
    private readonly ValkeyrieConfigurationProvider _provider;
    private readonly Channel<ValkeyrieConfigurationChangedEventArgs> _reloads = Channel.CreateUnbounded<ValkeyrieConfigurationChangedEventArgs>();
    private int _count;

    public ReloadRecorder(ValkeyrieConfigurationProvider provider)
    {
        _provider = provider;
        _provider.Changed += OnChanged;
    }

    public ReloadRecorder(IConfigurationRoot root)
        : this(root.Providers.OfType<ValkeyrieConfigurationProvider>().Single())
    {
    }

    public int Count => Volatile.Read(ref _count);

    public async Task<IReadOnlyList<string>> NextAsync(string what, TimeSpan? timeout = null)
    {
        try
        {
            var change = await _reloads.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
            return change.ChangedKeys;
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No reload for {what} within {timeout ?? TimeSpan.FromSeconds(30)}.");
        }
    }

    public void Dispose() => _provider.Changed -= OnChanged;

    private void OnChanged(object? sender, ValkeyrieConfigurationChangedEventArgs e)
    {
        Interlocked.Increment(ref _count);
        _reloads.Writer.TryWrite(e);
    }
}
