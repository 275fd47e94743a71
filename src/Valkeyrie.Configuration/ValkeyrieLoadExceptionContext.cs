namespace Valkeyrie.Configuration;

/// <summary>Describes a failed first load, passed to <see cref="ValkeyrieConfigurationSource.OnLoadException"/>.</summary>
public sealed class ValkeyrieLoadExceptionContext
{
    internal ValkeyrieLoadExceptionContext(ValkeyrieConfigurationProvider provider, Exception exception)
    {
        Provider = provider;
        Exception = exception;
    }

    /// <summary>The provider that failed to load.</summary>
    public ValkeyrieConfigurationProvider Provider { get; }

    /// <summary>Why the load failed.</summary>
    public Exception Exception { get; }

    /// <summary>Set to <see langword="true"/> to start with empty data (the provider keeps trying in the background when reloading is on).</summary>
    public bool Ignore { get; set; }
}
