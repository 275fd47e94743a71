using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace Valkeyrie.AotSmoke;

/// <summary>
/// Opens one store by connection string only (nothing in this app names a backend type, so the backend must survive
/// trimming through its generated registration), starts a configuration provider on it, serves a value written
/// through the store, and waits for a second write to reload.
/// </summary>
internal static class BackendSmoke
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public static async Task<bool> RunAsync(string connectionString)
    {
        var scheme = KvConnectionString.Parse(connectionString).Scheme;
        var key = $"aot/{scheme}/greeting";
        var clock = Stopwatch.StartNew();
        try
        {
            await using var store = KvStoreFactory.Create(connectionString);
            await store.PutAsync(key, Encoding.UTF8.GetBytes("v1"));

            var configuration = new ConfigurationBuilder()
                .AddValkeyrie(connectionString, source => source.Prefixes.Add($"aot/{scheme}"))
                .Build();
            using var disposer = configuration as IDisposable;
            var path = $"aot:{scheme}:greeting";
            if (configuration[path] != "v1")
            {
                Console.WriteLine($"{scheme}: FAILED, served '{configuration[path]}' instead of v1");
                return false;
            }

            var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var subscription = ChangeToken.OnChange(configuration.GetReloadToken, () =>
            {
                if (configuration[path] == "v2")
                {
                    reloaded.TrySetResult();
                }
            });
            await store.PutAsync(key, Encoding.UTF8.GetBytes("v2"));
            await reloaded.Task.WaitAsync(Limit);
            await store.DeleteTreeAsync($"aot/{scheme}");
            Console.WriteLine($"{scheme}: started, served and reloaded in {clock.ElapsedMilliseconds} ms");
            return true;
        }
        catch (Exception e)
        {
            // Exception messages name the backend and endpoint, never secrets (docs/store-contract.md, "Errors").
            Console.WriteLine($"{scheme}: FAILED after {clock.ElapsedMilliseconds} ms: {e.GetType().Name}: {e.Message}");
            return false;
        }
    }
}
