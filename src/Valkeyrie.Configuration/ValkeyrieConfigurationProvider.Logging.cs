using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Valkeyrie.Configuration.Internal;

namespace Valkeyrie.Configuration;

// Logging state: startup events replayed to the host's logger, and outages logged once each.
public sealed partial class ValkeyrieConfigurationProvider
{
    private readonly List<Action<ILogger>> _startupEvents = [];
    private long _unavailableSince; // Stopwatch timestamp of the outage being reported; 0 while the store answers.

    // AddValkeyrie on a ConfigurationManager loads before the host's logging exists; what Load reported is kept and
    // written again when SetLoggerFactory attaches the host's logger, so the first load is always in the log.
    private void LogStartup(Action<ILogger> write)
    {
        var logger = _logger;
        write(logger);
        if (logger is NullLogger<ValkeyrieConfigurationProvider>)
        {
            lock (_startupEvents)
            {
                _startupEvents.Add(write);
            }
        }
    }

    private void ReplayStartupEvents()
    {
        Action<ILogger>[] pending;
        lock (_startupEvents)
        {
            pending = [.. _startupEvents];
            _startupEvents.Clear();
        }

        foreach (var write in pending)
        {
            write(_logger);
        }
    }

    private void LogUnavailable(Exception cause, TimeSpan retryIn)
    {
        if (Interlocked.CompareExchange(ref _unavailableSince, Math.Max(1, Stopwatch.GetTimestamp()), 0) == 0)
        {
            var inner = cause is KvUnavailableException { InnerException: KvException store } ? store : cause;
            var causeType = inner.GetType().Name;
            StateLog.Unavailable(_logger, StoreName, causeType, inner.Message, _published.Count, retryIn.TotalMilliseconds);
        }
    }

    private void LogAvailable()
    {
        var since = Interlocked.Exchange(ref _unavailableSince, 0);
        if (since != 0)
        {
            var outage = Stopwatch.GetElapsedTime(since).TotalSeconds;
            StateLog.Available(_logger, StoreName, outage);
        }
    }
}
