using Valkeyrie.Testing.Conformance;
using Valkeyrie.Testing.Conformance.Configuration;

namespace Valkeyrie.Runtime.Tests;

// Each class gets a uniquely named shared store, so extra clients see the same data and disposing a client
// abandons its leases as a dying process would.
file static class MemoryTarget
{
    public static Task<IKvStore> Connect(string name) => Task.FromResult<IKvStore>(MemoryKvStore.Shared(name));
}

public sealed class MemoryBasicConformanceTests : KvBasicConformance
{
    private readonly string _name = Guid.NewGuid().ToString("N");

    protected override Task<IKvStore> ConnectAsync() => MemoryTarget.Connect(_name);
}

// The same basic suite on memory emulating the smallest limits of all backends (and so the exact-limit test on them).
public sealed class MemoryPortableBasicConformanceTests : KvBasicConformance
{
    private readonly string _name = Guid.NewGuid().ToString("N");

    protected override Task<IKvStore> ConnectAsync() => Task.FromResult<IKvStore>(MemoryKvStore.Shared(_name, KvStoreLimits.Portable));
}

public sealed class MemoryAtomicConformanceTests : KvAtomicConformance
{
    private readonly string _name = Guid.NewGuid().ToString("N");

    protected override Task<IKvStore> ConnectAsync() => MemoryTarget.Connect(_name);
}

public sealed class MemoryWatchConformanceTests : KvWatchConformance
{
    private readonly string _name = Guid.NewGuid().ToString("N");

    protected override Task<IKvStore> ConnectAsync() => MemoryTarget.Connect(_name);
}

public sealed class MemoryLockConformanceTests : KvLockConformance
{
    private readonly string _name = Guid.NewGuid().ToString("N");

    protected override Task<IKvStore> ConnectAsync() => MemoryTarget.Connect(_name);
}

public sealed class MemoryTtlConformanceTests : KvTtlConformance
{
    private readonly string _name = Guid.NewGuid().ToString("N");

    protected override TimeSpan ExpiryGrace => TimeSpan.FromSeconds(2);

    protected override Task<IKvStore> ConnectAsync() => MemoryTarget.Connect(_name);
}

public sealed class MemoryConfigurationConformanceTests : KvConfigurationConformance
{
    private readonly string _name = Guid.NewGuid().ToString("N");

    protected override Task<IKvStore> ConnectAsync() => MemoryTarget.Connect(_name);
}
