using System.Text;
using Microsoft.Extensions.Configuration;

namespace Valkeyrie.Configuration.Tests.Support;

internal static class Kv
{
    public static Task<KvPair> PutAsync(this IKvStore store, string key, string value) => store.PutAsync(key, Encoding.UTF8.GetBytes(value));

    public static ReadOnlyMemory<byte> Bytes(string value) => Encoding.UTF8.GetBytes(value);

    public static ValkeyrieConfigurationProvider Provider(this IConfigurationRoot root) =>
        root.Providers.OfType<ValkeyrieConfigurationProvider>().Single();

    /// <summary>Builds a configuration over <paramref name="store"/> with quick defaults for tests.</summary>
    public static ConfigurationRoot Build(IKvStore store, Action<ValkeyrieConfigurationSource>? configure = null) =>
        (ConfigurationRoot)new ConfigurationBuilder().AddValkeyrie(store, source =>
        {
            source.ReloadDelay = TimeSpan.Zero;
            source.StartupTimeout = TimeSpan.FromSeconds(30);
            configure?.Invoke(source);
        }).Build();

    /// <summary>Polls a condition (for states that raise no event), failing with <paramref name="what"/> after the timeout.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(20);
        }
    }
}
