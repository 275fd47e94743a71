using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Valkeyrie.Configuration.Hosting;

/// <summary>
/// Ties the providers to the host: on start they log through the host's logger factory; on stop their watches end
/// (before the host disposes anything), so shutdown logs no exception.
/// </summary>
internal sealed class ValkeyrieConfigurationLifetime : IHostedService
{
    private readonly IConfiguration _configuration;
    private readonly ILoggerFactory _loggerFactory;

    public ValkeyrieConfigurationLifetime(IConfiguration configuration, ILoggerFactory loggerFactory)
    {
        _configuration = configuration;
        _loggerFactory = loggerFactory;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var provider in ValkeyrieProviders.In(_configuration))
        {
            provider.SetLoggerFactory(_loggerFactory);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var provider in ValkeyrieProviders.In(_configuration))
        {
            await provider.StopAsync().ConfigureAwait(false);
        }
    }
}
