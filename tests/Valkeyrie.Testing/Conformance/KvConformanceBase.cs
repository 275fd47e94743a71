using System.Text;

namespace Valkeyrie.Testing.Conformance;

/// <summary>
/// The base of every conformance class: connects clients to the backend under test, gives each test its own key
/// root so tests never see each other's data, and cleans up. A backend's test project derives one class per
/// conformance class and implements <see cref="ConnectAsync"/>.
/// </summary>
public abstract class KvConformanceBase : IAsyncLifetime
{
    private readonly List<IKvStore> _clients = [];
    private readonly List<IDisposable> _disposeAfterTest = [];

    /// <summary>The client most tests use.</summary>
    protected IKvStore Store { get; private set; } = null!;

    /// <summary>This test's own key root.</summary>
    protected string Root { get; } = $"conformance/{Guid.NewGuid():N}";

    /// <summary>The shortest TTL the backend honours (sub-minimum TTLs are rounded up to it).</summary>
    protected virtual TimeSpan MinimumTtl => TimeSpan.FromSeconds(1);

    /// <summary>How long past its TTL an expired key or dead holder's lock may linger on this backend.</summary>
    protected virtual TimeSpan ExpiryGrace => TimeSpan.FromSeconds(10);

    /// <summary>A generous bound for anything event-driven; tests never sleep for correctness.</summary>
    protected static TimeSpan Patience => TimeSpan.FromSeconds(30);

    /// <summary>Connects a new client to the backend under test (the same data every time).</summary>
    protected abstract Task<IKvStore> ConnectAsync();

    /// <summary>Connects an extra client that is disposed after the test.</summary>
    protected async Task<IKvStore> ConnectExtraAsync()
    {
        var client = await ConnectAsync();
        _clients.Add(client);
        return client;
    }

    /// <summary>Disposes <paramref name="resource"/> (say, the temporary file the backend lives in) after the test's cleanup and clients.</summary>
    protected T DisposeAfterTest<T>(T resource)
        where T : IDisposable
    {
        _disposeAfterTest.Add(resource);
        return resource;
    }

    /// <summary>A key under this test's root.</summary>
    protected string K(string relative) => $"{Root}/{relative}";

    /// <summary>UTF-8 bytes of a string.</summary>
    protected static byte[] V(string text) => Encoding.UTF8.GetBytes(text);

    /// <inheritdoc />
    public virtual async Task InitializeAsync() => Store = await ConnectExtraAsync();

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        try
        {
            await using var cleaner = await ConnectAsync();
            await cleaner.DeleteTreeAsync(Root);
        }
        finally
        {
            foreach (var client in _clients)
            {
                await client.DisposeAsync();
            }

            foreach (var resource in _disposeAfterTest)
            {
                resource.Dispose();
            }
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, polling, or fails after <paramref name="timeout"/>.</summary>
    protected static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
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

    /// <summary>Retries a call while the store reports itself unavailable (it is still coming back).</summary>
    protected static async Task RetryWhileUnavailableAsync(Func<Task> call)
    {
        var deadline = DateTime.UtcNow + Patience * 2;
        while (true)
        {
            try
            {
                await call();
                return;
            }
            catch (KvUnavailableException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }
}
