namespace Valkeyrie;

/// <summary>
/// The base of every error a store raises. Messages name the backend, the endpoint and the key when known,
/// and say what to do; they never contain values or credentials.
/// </summary>
public class KvException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    public KvException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    public KvException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public KvException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception whose message is prefixed with the backend, endpoint and key.</summary>
    /// <param name="backend">The backend name, for example <c>redis</c>.</param>
    /// <param name="endpoint">The endpoint (secrets removed), or <see langword="null"/>.</param>
    /// <param name="key">The key involved, or <see langword="null"/>.</param>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public KvException(string backend, string? endpoint, string? key, string message, Exception? innerException = null)
        : base(Format(backend, endpoint, key, message), innerException)
    {
        Backend = backend;
        Endpoint = endpoint;
        Key = key;
    }

    /// <summary>The backend name, when known.</summary>
    public string? Backend { get; }

    /// <summary>The endpoint (without secrets), when known.</summary>
    public string? Endpoint { get; }

    /// <summary>The key involved, when known.</summary>
    public string? Key { get; }

    private static string Format(string backend, string? endpoint, string? key, string message)
    {
        var where = endpoint is null ? backend : $"{backend} at {endpoint}";
        return key is null ? $"{where}: {message}" : $"{where}, key '{key}': {message}";
    }
}

/// <summary>The store could not be reached or did not answer in time. Transient: retrying later may succeed.</summary>
public class KvUnavailableException : KvException
{
    /// <summary>Creates the exception.</summary>
    public KvUnavailableException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    public KvUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public KvUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with backend, endpoint and key.</summary>
    /// <param name="backend">The backend name.</param>
    /// <param name="endpoint">The endpoint, without secrets.</param>
    /// <param name="key">The key, when known.</param>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public KvUnavailableException(string backend, string? endpoint, string? key, string message, Exception? innerException = null)
        : base(backend, endpoint, key, message, innerException)
    {
    }
}

/// <summary>The store rejected the credentials or the permissions are insufficient. Permanent: fix the configuration.</summary>
public class KvAuthenticationException : KvException
{
    /// <summary>Creates the exception.</summary>
    public KvAuthenticationException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    public KvAuthenticationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public KvAuthenticationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with backend, endpoint and key.</summary>
    /// <param name="backend">The backend name.</param>
    /// <param name="endpoint">The endpoint, without secrets.</param>
    /// <param name="key">The key, when known.</param>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public KvAuthenticationException(string backend, string? endpoint, string? key, string message, Exception? innerException = null)
        : base(backend, endpoint, key, message, innerException)
    {
    }
}

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

/// <summary>
/// Raised by a backend's change feed when it cannot prove that no change was missed since a revision
/// (history compacted, change log trimmed, pub/sub gap). Watches answer it with a fresh snapshot.
/// </summary>
public class KvHistoryLostException : KvException
{
    /// <summary>Creates the exception.</summary>
    public KvHistoryLostException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was lost.</param>
    public KvHistoryLostException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was lost.</param>
    /// <param name="innerException">The cause.</param>
    public KvHistoryLostException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
