using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Valkeyrie.Cli;
using Valkeyrie.Redis;
using Valkeyrie.Testing.Servers;

namespace Valkeyrie.Fuzz.Tests;

/// <summary>
/// Runs store calls with rejected and accepted credentials on a password-protected Redis with an ACL user, and the CLI
/// with a wrong password, while capturing every activity (with tags and events) and every metric measurement in the
/// process; then scans all of it, every exception message and the <c>ToString()</c> of options and stores for the
/// password and for the secret value written. None may appear.
/// </summary>
public sealed class SecretHygieneTests
{
    private const string Password = "Pw-5ecret-7f3a";
    private const string SecretValue = "value-5ecret-91c2";

    [Fact]
    public async Task No_password_or_value_reaches_activities_metrics_exceptions_ToString_or_cli_output()
    {
        var seen = new StringBuilder();
        using var activities = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (seen)
                {
                    seen.AppendLine(activity.DisplayName).AppendLine(activity.StatusDescription);
                    foreach (var tag in activity.TagObjects)
                    {
                        seen.AppendLine($"{tag.Key}={tag.Value}");
                    }

                    foreach (var e in activity.Events)
                    {
                        seen.AppendLine(e.Name);
                        foreach (var tag in e.Tags)
                        {
                            seen.AppendLine($"{tag.Key}={tag.Value}");
                        }
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(activities);
        using var meters = new MeterListener { InstrumentPublished = (instrument, listener) => listener.EnableMeasurementEvents(instrument) };
        meters.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Record(seen, instrument, tags));
        meters.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Record(seen, instrument, tags));
        meters.SetMeasurementEventCallback<int>((instrument, _, tags, _) => Record(seen, instrument, tags));
        meters.Start();

        await using var server = await RedisServer.StartNewAsync(new RedisServerOptions { Password = Password, AclUser = "app", AclPassword = Password });
        var endpoint = $"{server.Host}:{server.Port}";
        foreach (var connectionString in new[] { $"redis://app:{Password}@{endpoint}", $"redis://{endpoint}?password={Password}" })
        {
            var options = RedisKvStoreOptions.Parse(connectionString);
            seen.AppendLine(options.ToString()).AppendLine(KvConnectionString.Parse(connectionString).ToString());
            await using var store = new RedisKvStore(options);
            seen.AppendLine(store.ToString());
            await store.PutAsync("hygiene/a", Encoding.UTF8.GetBytes(SecretValue));
            await store.ListAsync("hygiene");
            await store.AtomicPutAsync("hygiene/a", Encoding.UTF8.GetBytes(SecretValue), 1);
            await using (var held = await store.CreateLock("hygiene/lock", new KvLockOptions { Value = Encoding.UTF8.GetBytes(SecretValue) }).AcquireAsync())
            {
            }

            // Foreign data at a key: the error names the key, never the data.
            await server.ExecuteAsync("SET", "hygiene/foreign", SecretValue);
            seen.AppendLine(await MessageOf(() => store.GetAsync("hygiene/foreign")));
            await server.ExecuteAsync("DEL", "hygiene/foreign");
        }

        foreach (var wrong in new[] { $"redis://app:{Password}x@{endpoint}", $"redis://nobody:{Password}@{endpoint}", $"redis://{endpoint}?password={Password}-wrong&db=abc" })
        {
            seen.AppendLine(await MessageOf(async () =>
            {
                await using var store = KvStoreFactory.Create(wrong);
                await store.GetAsync("hygiene/a");
            }));

            var error = new StringWriter();
            var output = new MemoryStream();
            await CliApp.RunAsync(["get", "hygiene/a", "--store", wrong], new CliConsole(new MemoryStream(), output, error, interactive: false));
            seen.AppendLine(error.ToString()).AppendLine(Encoding.UTF8.GetString(output.ToArray()));
        }

        var text = seen.ToString();
        Assert.Contains("hygiene/foreign", text, StringComparison.Ordinal); // the scan saw the errors it should scan
        Assert.Contains("credentials", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretValue, text, StringComparison.Ordinal);
    }

    private static void Record(StringBuilder seen, Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (seen)
        {
            seen.AppendLine(instrument.Name);
            foreach (var tag in tags)
            {
                seen.AppendLine($"{tag.Key}={tag.Value}");
            }
        }
    }

    // The whole chain: message, inner exceptions and ToString (stack traces include messages of every level).
    private static async Task<string> MessageOf(Func<Task> call)
    {
        try
        {
            await call();
            return string.Empty;
        }
        catch (Exception e)
        {
            return e.ToString();
        }
    }
}
