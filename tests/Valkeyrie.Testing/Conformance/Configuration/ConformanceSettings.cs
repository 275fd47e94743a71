using Valkeyrie.Sections;

namespace Valkeyrie.Testing.Conformance.Configuration;

/// <summary>
/// The typed section the configuration conformance binds. Its path is relative: each test loads its own key root with
/// the prefix trimmed, so <c>{root}/svc/port</c> binds to <see cref="Port"/>.
/// </summary>
[KvSection("svc")]
public sealed partial class ConformanceSettings
{
    /// <summary>A string member.</summary>
    public string Name { get; set; } = "default";

    /// <summary>A number parsed from invariant text.</summary>
    public int Port { get; set; } = 80;

    /// <summary>A TimeSpan parsed from invariant text.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Indexed sub-keys.</summary>
    public List<string> Hosts { get; set; } = [];

    /// <summary>Named sub-keys.</summary>
    public Dictionary<string, int> Limits { get; set; } = [];
}
