// Valkeyrie sample: typed configuration with live reload.
//
//   dotnet run --project samples/Valkeyrie.Sample                      embedded LiteDB file, no server
//   dotnet run --project samples/Valkeyrie.Sample -- redis://127.0.0.1:6379
//   dotnet run --project samples/Valkeyrie.Sample -- --watch           keep watching until Ctrl+C
//
// The connection string can also come from the VALKEYRIE_CONNECTION environment variable.
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Valkeyrie;
using Valkeyrie.Sample;

var watch = args.Contains("--watch");
var connectionString = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal))
    ?? Environment.GetEnvironmentVariable("VALKEYRIE_CONNECTION")
    ?? "litedb:./valkeyrie-sample.db";

Console.WriteLine($"Store: {KvConnectionString.Parse(connectionString)}");

// 1. Seed the typed section, as a deployment script would (one transaction).
await using (var seed = KvStoreFactory.Create(connectionString))
{
    var initial = new DbSettings { Host = "db.internal", Port = 5432, ConnectTimeout = TimeSpan.FromSeconds(3), MaxPoolSize = 50 };
    await initial.SaveAsync(seed);
    Console.WriteLine($"Seeded {DbSettings.SectionPath}: {initial}");
}

// 2. A host whose configuration comes from the store and whose DbSettings reload live.
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Configuration.AddValkeyrie(connectionString, source => source.Prefixes.Add("app"));
builder.Services.AddKvSection<DbSettings>(o => o.OnReloadError = e => Console.WriteLine($"Rejected reload of {e.ConfigurationPath}: {e.Exception.Message}"))
    .Validate(s => s.Port is > 0 and < 65536, "Port must be between 1 and 65535.")
    .ValidateOnStart();

using var host = builder.Build();
await host.StartAsync();
var monitor = host.Services.GetRequiredService<IOptionsMonitor<DbSettings>>();
Console.WriteLine($"Typed settings: {monitor.CurrentValue}");

// 3. An operator changes one key with another client (as `valkeyrie put app/db/Port 5433` would).
var reloaded = new TaskCompletionSource<DbSettings>(TaskCreationOptions.RunContinuationsAsynchronously);
using (monitor.OnChange(settings => reloaded.TrySetResult(settings)))
{
    var newPort = monitor.CurrentValue.Port == 5433 ? 5434 : 5433;
    var stopwatch = Stopwatch.StartNew();
    await using (var operatorClient = KvStoreFactory.Create(connectionString))
    {
        await operatorClient.PutAsync(DbSettings.Keys.Port, Encoding.UTF8.GetBytes(newPort.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Console.WriteLine($"Operator set {DbSettings.Keys.Port} = {newPort}");
        var seen = await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Console.WriteLine($"Live reload seen through IOptionsMonitor after {stopwatch.Elapsed.TotalMilliseconds:0} ms: {seen}");
    }
}

if (watch)
{
    Console.WriteLine($"Watching {DbSettings.SectionPath}; change its keys with another client. Ctrl+C to stop.");
    using var subscription = monitor.OnChange(settings => Console.WriteLine($"{DateTime.Now:T} reloaded: {settings}"));
    await host.WaitForShutdownAsync();
}
else
{
    await host.StopAsync();
}

return 0;
