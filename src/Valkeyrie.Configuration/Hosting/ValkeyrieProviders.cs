using Microsoft.Extensions.Configuration;

namespace Valkeyrie.Configuration.Hosting;

/// <summary>Finds the Valkeyrie providers of an <see cref="IConfiguration"/>, including chained configurations.</summary>
internal static class ValkeyrieProviders
{
    public static IEnumerable<ValkeyrieConfigurationProvider> In(IConfiguration configuration)
    {
        if (configuration is not IConfigurationRoot root)
        {
            yield break;
        }

        foreach (var provider in root.Providers)
        {
            if (provider is ValkeyrieConfigurationProvider valkeyrie)
            {
                yield return valkeyrie;
            }
            else if (provider is ChainedConfigurationProvider chained)
            {
                foreach (var inner in In(chained.Configuration))
                {
                    yield return inner;
                }
            }
        }
    }
}
