namespace Valkeyrie.Configuration.Sections;

/// <summary>A rejected reload of a typed section.</summary>
public sealed class KvSectionReloadError
{
    internal KvSectionReloadError(Type sectionType, string configurationPath, Exception exception)
    {
        SectionType = sectionType;
        ConfigurationPath = configurationPath;
        Exception = exception;
    }

    /// <summary>The section type.</summary>
    public Type SectionType { get; }

    /// <summary>The section's configuration path, for example <c>app:db</c>.</summary>
    public string ConfigurationPath { get; }

    /// <summary>
    /// Why the reload was rejected: a binding error (<see cref="Valkeyrie.Sections.KvBindingException"/>) or a validation failure
    /// (<see cref="Microsoft.Extensions.Options.OptionsValidationException"/>).
    /// </summary>
    public Exception Exception { get; }
}
