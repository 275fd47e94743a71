namespace Valkeyrie;

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
