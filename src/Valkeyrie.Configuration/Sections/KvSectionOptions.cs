namespace Valkeyrie.Configuration.Sections;

/// <summary>Options of a typed section registered with <c>AddKvSection</c>.</summary>
public sealed class KvSectionOptions
{
    /// <summary>
    /// Called when a reload produced a section that cannot be bound or fails validation. The last valid value stays
    /// in <c>IOptionsMonitor.CurrentValue</c>; the error is also logged (event 20).
    /// </summary>
    public Action<KvSectionReloadError>? OnReloadError { get; set; }
}
