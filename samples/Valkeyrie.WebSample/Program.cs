using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Valkeyrie.WebSample;

var builder = WebApplication.CreateBuilder(args);

// ConnectionStrings:Valkeyrie (e.g. ConnectionStrings__Valkeyrie=redis://127.0.0.1:6379?password=…); never logged.
var store = builder.Configuration.GetConnectionString("Valkeyrie") ?? "redis://127.0.0.1:6379";
builder.Configuration.AddValkeyrie(store, source => source.Prefixes.Add("sample"));
builder.Services.AddKvSection<GreetingSettings>();
builder.Services.AddHealthChecks().AddValkeyrie();

// The Valkeyrie Meter and ActivitySource: metrics scraped at /metrics, traces on the console when asked for.
builder.Services.AddOpenTelemetry()
    .WithMetrics(metrics => metrics.AddMeter("Valkeyrie").AddPrometheusExporter())
    .WithTracing(tracing =>
    {
        tracing.AddSource("Valkeyrie");
        if (builder.Configuration.GetValue<bool>("Telemetry:ConsoleTraces"))
        {
            tracing.AddConsoleExporter();
        }
    });

var app = builder.Build();
app.MapGet("/greeting", (IOptionsMonitor<GreetingSettings> greeting) => Results.Ok(new { greeting.CurrentValue.Message, greeting.CurrentValue.Revision }));
app.MapHealthChecks("/health");
app.MapPrometheusScrapingEndpoint();
app.Run();
