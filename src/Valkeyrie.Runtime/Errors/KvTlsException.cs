namespace Valkeyrie;

/// <summary>
/// The TLS handshake failed: the server's certificate is not trusted (wrong or missing <c>ca</c>), expired, or issued
/// for another host name (<c>sni</c>), or the server refused the client certificate (<c>cert</c>/<c>key</c>). Permanent:
/// fix the certificates. The store never falls back to plaintext. See docs/security.md.
/// </summary>
public class KvTlsException : KvAuthenticationException
{
    /// <summary>Creates the exception.</summary>
    public KvTlsException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    public KvTlsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public KvTlsException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with backend, endpoint and key.</summary>
    /// <param name="backend">The backend name.</param>
    /// <param name="endpoint">The endpoint, without secrets.</param>
    /// <param name="key">The key, when known.</param>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public KvTlsException(string backend, string? endpoint, string? key, string message, Exception? innerException = null)
        : base(backend, endpoint, key, message, innerException)
    {
    }
}
