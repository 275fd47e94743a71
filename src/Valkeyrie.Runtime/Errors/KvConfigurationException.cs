namespace Valkeyrie;

/// <summary>A connection string or store option is invalid, or the backend's package is not referenced.</summary>
public class KvConfigurationException : KvException
{
    /// <summary>Creates the exception.</summary>
    public KvConfigurationException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    public KvConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public KvConfigurationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
