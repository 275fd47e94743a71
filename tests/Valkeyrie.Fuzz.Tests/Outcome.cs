namespace Valkeyrie.Fuzz.Tests;

/// <summary>
/// What one call did, in a form two stores can be compared by: its result rendered as text, or the type of the exception
/// it threw. Only the exceptions the store contract allows are outcomes; anything else fails the property at once.
/// </summary>
internal static class Outcome
{
    /// <summary>Runs the call and renders its outcome.</summary>
    public static async Task<string> Of(Func<Task<string>> call)
    {
        try
        {
            return await call();
        }
        catch (ArgumentException e)
        {
            // ArgumentNullException/OutOfRange are different rules; keep the exact type.
            return e.GetType().Name;
        }
        catch (KvException e) when (e is not KvUnavailableException)
        {
            return e.GetType().Name + (Environment.GetEnvironmentVariable("VALKEYRIE_FUZZ_DEBUG") is null ? "" : ": " + e.Message);
        }
    }

    /// <summary>A pair as the model would show it: key and value, not the backend-specific index.</summary>
    public static string Show(KvPair? pair) => pair is null ? "null" : $"{pair.Key}={Convert.ToHexString(pair.Value.Span)}";

    /// <summary>A list as the model would show it.</summary>
    public static string Show(IReadOnlyList<KvPair> pairs) => "[" + string.Join(",", pairs.Select(Show)) + "]";
}
