using Microsoft.Extensions.Configuration;

namespace Valkeyrie.Benchmarks.Sections;

/// <summary>
/// <c>ConfigurationBinder.Get&lt;T&gt;()</c> compiled with <c>EnableConfigurationBindingGenerator</c>: Microsoft's
/// binding source generator intercepts this call and binds without reflection.
/// </summary>
public static class MicrosoftGeneratedBinder
{
    /// <summary>Binds <see cref="BenchSettings"/> from its configuration section.</summary>
    /// <param name="section">The section whose children are the members.</param>
    public static BenchSettings? Get(IConfiguration section) => section.Get<BenchSettings>();
}
