using System.Globalization;

namespace Valkeyrie.Binding.Tests;

/// <summary>Runs code under a current culture on this thread and on threads started meanwhile (CsCheck's workers).</summary>
public sealed class CultureScope : IDisposable
{
    private readonly CultureInfo _current = CultureInfo.CurrentCulture;
    private readonly CultureInfo? _default = CultureInfo.DefaultThreadCurrentCulture;

    public CultureScope(string name)
    {
        var culture = CultureInfo.GetCultureInfo(name);
        CultureInfo.CurrentCulture = culture;
        CultureInfo.DefaultThreadCurrentCulture = culture;
    }

    public void Dispose()
    {
        CultureInfo.CurrentCulture = _current;
        CultureInfo.DefaultThreadCurrentCulture = _default;
    }
}
