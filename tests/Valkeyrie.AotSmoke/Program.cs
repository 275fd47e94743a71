using Microsoft.Extensions.Configuration;
using Valkeyrie;
using Valkeyrie.AotSmoke;
using Valkeyrie.Sections;

// Exercises every generated path (pairs, configuration, JSON, store load/save) in a Native AOT binary, then every
// backend given on the command line by connection string.
var settings = new SmokeSettings
{
    Host = "db.internal",
    Port = 6000,
    Mode = Mode.On,
    Id = Guid.NewGuid(),
    Since = DateTimeOffset.UnixEpoch,
    Endpoint = new Uri("https://example.com/"),
    Key = [1, 2, 3],
    Replicas = [new Replica("r1"), new Replica("r2", 6001)],
    Limits = new() { ["read"] = 10 },
    Routes = new() { ["/api"] = ["a", "b"] },
    Origin = new Point { X = 1, Y = 2 },
};

var fromPairs = SmokeSettings.FromKvPairs(settings.ToKvPairs());
var configuration = new ConfigurationBuilder()
    .AddInMemoryCollection(settings.ToKvPairs().Select(p => new KeyValuePair<string, string?>(p.Key.Replace('/', ':'), p.ValueAsString)))
    .Build();
var bound = Bind<SmokeSettings>(configuration);

await using var store = new MemoryKvStore();
var saved = await settings.SaveAsync(store);
var loaded = await SmokeSettings.LoadAsync(store);

var ok = saved == KvSaveResult.Saved
    && Same(settings, fromPairs) && Same(settings, bound) && Same(settings, loaded)
    && loaded.Replicas[1].Port == 6001 && loaded.Origin.Y == 2 && loaded.Routes["/api"][1] == "b";
Console.WriteLine(ok ? "AOT smoke OK: generated section paths" : "AOT smoke FAILED: generated section paths");

// Each argument is a connection string of a real store that scripts/aot-check.sh started.
foreach (var connectionString in args)
{
    ok &= await BackendSmoke.RunAsync(connectionString);
}

return ok ? 0 : 1;

static bool Same(SmokeSettings a, SmokeSettings b) =>
    a.ToKvPairs().Select(p => (p.Key, p.ValueAsString)).SequenceEqual(b.ToKvPairs().Select(p => (p.Key, p.ValueAsString)));

static T Bind<T>(IConfiguration configuration)
    where T : class, IKvSection<T> => T.Bind(configuration.GetSection(T.ConfigurationPath));
