using BenchmarkDotNet.Attributes;
using Valkeyrie.Benchmarks.Infrastructure;

namespace Valkeyrie.Benchmarks.Stores;

/// <summary>
/// The <see cref="DynamoDbStoreBenchmarks"/> cases on moto, where the store commits each write with one
/// <c>TransactWriteItems</c> call (native mode). moto copies the whole table for every transaction, so its absolute
/// times are not AWS's; the ratio against the raw AWS SDK on the same server is what this measures.
/// </summary>
public class DynamoDbMotoStoreBenchmarks : DynamoDbStoreBenchmarks
{
    /// <inheritdoc />
    protected override Backend Backend => Backend.DynamoDbMoto;

    /// <summary>The raw client's own two-item TransactWriteItems: how much of a native write is the endpoint's transaction.</summary>
    [Benchmark(Description = "Raw TransactWriteItems (2 items)"), BenchmarkCategory("Put")]
    public Task RawTransactPut() => RawTransactPutAsync();
}
