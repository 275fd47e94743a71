namespace Valkeyrie.Configuration;

/// <summary>Where a provider's data comes from right now.</summary>
public enum ValkeyrieConfigurationState
{
    /// <summary><see cref="Microsoft.Extensions.Configuration.IConfigurationProvider.Load"/> has not run yet.</summary>
    NotLoaded,

    /// <summary>The data was loaded from the store and is being kept current.</summary>
    Current,

    /// <summary>The store was unreachable at startup; the data comes from the local snapshot file until the store answers.</summary>
    FromSnapshotFile,

    /// <summary>The store was unreachable at startup and the source is optional (or the error was ignored): no data yet.</summary>
    Empty,

    /// <summary>The watch keeps failing with an error that retrying has not cured (for example rejected credentials); the last good data is kept.</summary>
    Failing,

    /// <summary>The provider was stopped or disposed; its data no longer changes.</summary>
    Stopped,
}

/// <summary>A point-in-time view of a provider's health, for health checks and diagnostics.</summary>
/// <param name="State">Where the data comes from.</param>
/// <param name="KeyCount">The number of configuration keys.</param>
/// <param name="LastSynchronized">When the store last confirmed the data (a snapshot, a change or a probe), or <see langword="null"/> if never.</param>
/// <param name="LastError">The most recent error, or <see langword="null"/> after a success. Its message names no value or secret.</param>
public sealed record ValkeyrieConfigurationStatus(
    ValkeyrieConfigurationState State,
    int KeyCount,
    DateTimeOffset? LastSynchronized,
    Exception? LastError);
