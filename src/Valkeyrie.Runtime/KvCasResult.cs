namespace Valkeyrie;

/// <summary>The outcome of a compare-and-swap call.</summary>
public enum KvCasOutcome
{
    /// <summary>The write or delete was applied.</summary>
    Succeeded,

    /// <summary>A create-only write (expected index 0) found the key already present.</summary>
    KeyExists,

    /// <summary>The key's index differs from the expected one: someone else wrote it since it was read.</summary>
    KeyModified,

    /// <summary>The key does not exist (a compare against a non-zero index, or a delete).</summary>
    KeyNotFound,
}

/// <summary>The result of <see cref="IKvStore.AtomicPutAsync"/> or <see cref="IKvStore.AtomicDeleteAsync"/>.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Pair">For a successful put, the stored pair with its new index; otherwise <see langword="null"/>.</param>
public readonly record struct KvCasResult(KvCasOutcome Outcome, KvPair? Pair = null)
{
    /// <summary>Whether the operation was applied.</summary>
    public bool Succeeded => Outcome == KvCasOutcome.Succeeded;

    /// <summary>A successful result carrying the written pair (null for deletes).</summary>
    /// <param name="pair">The written pair.</param>
    public static KvCasResult Success(KvPair? pair) => new(KvCasOutcome.Succeeded, pair);

    /// <summary>A failed result with the given outcome.</summary>
    /// <param name="outcome">Why it failed.</param>
    public static KvCasResult Failure(KvCasOutcome outcome) => new(outcome);
}
