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
