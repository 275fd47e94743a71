using System.Diagnostics;

namespace Valkeyrie.Backends;

/// <summary>
/// The <see cref="ActivitySource"/> named <c>Valkeyrie</c> (the name the configuration provider's activities and meter
/// use): one activity per store call, tagged with the backend and the operation, never with keys' values or credentials.
/// </summary>
internal static class KvStoreActivities
{
    public const string BackendTag = "valkeyrie.backend";

    public const string OperationTag = "valkeyrie.operation";

    public static readonly ActivitySource Source = new("Valkeyrie", typeof(KvStoreActivities).Assembly.GetName().Version?.ToString());

    /// <summary>Starts the activity of one call, or returns null when nobody listens.</summary>
    public static Activity? Start(string backend, string operation)
    {
        var activity = Source.StartActivity($"{backend} {operation}", ActivityKind.Client);
        activity?.SetTag(BackendTag, backend);
        activity?.SetTag(OperationTag, operation);
        return activity;
    }

    /// <summary>Runs <paramref name="call"/> inside the activity of one call; without listeners it only calls.</summary>
    public static Task<T> Trace<T>(string backend, string operation, Func<Task<T>> call) =>
        Source.HasListeners() ? TraceAsync(backend, operation, call) : call();

    // Started inside the async method, so Activity.Current is back to the caller's when the call returns.
    private static async Task<T> TraceAsync<T>(string backend, string operation, Func<Task<T>> call)
    {
        using var activity = Start(backend, operation);
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The exception's type only: messages may name keys, and values never belong in telemetry.
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
    }
}
