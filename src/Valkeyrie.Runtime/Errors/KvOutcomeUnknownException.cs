namespace Valkeyrie;

/// <summary>
/// A write was sent to the store but its answer was lost (the connection dropped, the call timed out, or the leader
/// was lost mid-commit): it <b>may or may not have been applied</b>. Unlike <see cref="KvUnavailableException"/>
/// ("nothing was sent"), retrying blindly can apply the write twice; read the key (or compare its index) first, or
/// make the write idempotent (a put of the same value, a compare-and-swap on the index read before). See
/// docs/store-contract.md, "Write outcomes".
/// </summary>
public class KvOutcomeUnknownException : KvException
{
    /// <summary>Creates the exception.</summary>
    public KvOutcomeUnknownException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened and what to do.</param>
    public KvOutcomeUnknownException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public KvOutcomeUnknownException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with backend, endpoint and key; the message says the write may or may not have been applied.</summary>
    /// <param name="backend">The backend name.</param>
    /// <param name="endpoint">The endpoint, without secrets.</param>
    /// <param name="key">The key, when known.</param>
    /// <param name="what">What happened to the answer, e.g. "the connection was lost after the write was sent".</param>
    /// <param name="innerException">The cause.</param>
    public KvOutcomeUnknownException(string backend, string? endpoint, string? key, string what, Exception? innerException = null)
        : base(backend, endpoint, key, $"{what}: the write may or may not have been applied. Read the key before retrying, or retry only writes that are safe to repeat.", innerException)
    {
    }
}
