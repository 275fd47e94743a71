using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Valkeyrie.Benchmarks.Harness;

/// <summary>
/// The child side of the cross-process LiteDB reload series (<c>--litedb-writer &lt;connection string&gt;</c>): opens the
/// store, prints <c>ready</c>, then for each port number read from standard input writes <c>bench/settings/Port</c>
/// and prints the <see cref="Stopwatch"/> timestamp taken just before the write. Ends at the end of its input.
/// </summary>
public static class LiteDbWriterMode
{
    /// <summary>The switch that runs this mode.</summary>
    public const string Switch = "--litedb-writer";

    /// <summary>Runs the writer loop; returns the process exit code.</summary>
    /// <param name="connectionString">The <c>litedb:</c> connection string of the shared file.</param>
    public static async Task<int> RunAsync(string connectionString)
    {
        await using var store = KvStoreFactory.Create(connectionString);
        await store.GetAsync("bench/settings/Port");
        Console.WriteLine("ready");
        while (await Console.In.ReadLineAsync() is { } line)
        {
            var port = int.Parse(line, CultureInfo.InvariantCulture);
            var start = Stopwatch.GetTimestamp();
            await store.PutAsync("bench/settings/Port", Encoding.UTF8.GetBytes(port.ToString(CultureInfo.InvariantCulture)));
            Console.WriteLine(start.ToString(CultureInfo.InvariantCulture));
        }

        return 0;
    }
}
