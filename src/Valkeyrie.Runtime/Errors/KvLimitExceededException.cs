namespace Valkeyrie;

/// <summary>A backend limit was exceeded (value size, transaction operations, …); nothing was written.</summary>
public class KvLimitExceededException : KvException
{
    /// <summary>Creates the exception.</summary>
    public KvLimitExceededException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    public KvLimitExceededException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public KvLimitExceededException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with backend, endpoint and key.</summary>
    /// <param name="backend">The backend name.</param>
    /// <param name="endpoint">The endpoint, without secrets.</param>
    /// <param name="key">The key, when known.</param>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public KvLimitExceededException(string backend, string? endpoint, string? key, string message, Exception? innerException = null)
        : base(backend, endpoint, key, message, innerException)
    {
    }
}
