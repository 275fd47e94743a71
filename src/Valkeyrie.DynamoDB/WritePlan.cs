namespace Valkeyrie.DynamoDB;

/// <summary>One key a write touches: what it writes there (null for a pure check) and what the key's state must be.</summary>
/// <param name="Key">The canonical key; a plan names each key once.</param>
/// <param name="Operation">The put or delete, or null when the key is only checked.</param>
/// <param name="Condition">The condition on the key's state just before the commit.</param>
internal sealed record PlannedWrite(string Key, LogOperation? Operation, KeyCondition Condition);

/// <summary>What one write call wants to commit, decided as of the current head.</summary>
/// <typeparam name="T">The call's result.</typeparam>
/// <param name="Writes">The keys it writes or checks; no operation at all means nothing is written.</param>
/// <param name="Committed">The result given the committed revision (the head when nothing was written).</param>
/// <param name="Refused">The result when a key's condition did not hold, given that key's stored item (null when missing).</param>
internal readonly record struct WritePlan<T>(IReadOnlyList<PlannedWrite> Writes, Func<ulong, T> Committed, Func<StoredItem?, T> Refused)
{
    /// <summary>A plan that writes nothing and answers <paramref name="result"/>.</summary>
    public static WritePlan<T> Nothing(T result) => new([], _ => result, _ => result);
}
