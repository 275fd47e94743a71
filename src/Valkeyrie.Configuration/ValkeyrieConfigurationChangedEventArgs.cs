namespace Valkeyrie.Configuration;

/// <summary>The configuration keys one reload changed.</summary>
public sealed class ValkeyrieConfigurationChangedEventArgs : EventArgs
{
    internal ValkeyrieConfigurationChangedEventArgs(IReadOnlyList<string> changedKeys, TimeSpan latency)
    {
        ChangedKeys = changedKeys;
        Latency = latency;
    }

    /// <summary>The configuration keys (<c>a:b:c</c>) that were added, removed or given another value, sorted.</summary>
    public IReadOnlyList<string> ChangedKeys { get; }

    /// <summary>The time from the first change of the batch arriving from the store to the new data being visible.</summary>
    public TimeSpan Latency { get; }
}
