using System.Text;

namespace Valkeyrie.Etcd.Tests;

/// <summary>Keys under a root of the test's own, UTF-8 values, and event-driven waits.</summary>
internal static class EtcdTestSupport
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan ShortTtl = TimeSpan.FromSeconds(2);

    public static string NewRoot() => $"etcd-tests/{Guid.NewGuid():N}";

    public static byte[] V(string text) => Encoding.UTF8.GetBytes(text);

    public static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0.#} s waiting for: {what}");
            }

            await Task.Delay(100);
        }
    }
}
