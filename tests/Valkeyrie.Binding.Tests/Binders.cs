using Microsoft.Extensions.Configuration;
using Valkeyrie.Sections;

namespace Valkeyrie.Binding.Tests;

/// <summary>What one binder made of a configuration: a value, or the exception it threw.</summary>
public sealed record Outcome(object? Value, Exception? Error)
{
    public override string ToString() => Error is null ? "value" : Error.GetType().Name + ": " + Error.Message;
}

/// <summary>Binds a section type with the generated code and with Microsoft's ConfigurationBinder from the same configuration.</summary>
public static class Binders
{
    public static IConfigurationRoot Configuration(string sectionPath, IEnumerable<Entry> entries) =>
        new ConfigurationBuilder().AddInMemoryCollection(Data(sectionPath, entries)).Build();

    /// <summary>The entries as configuration data under the section's path; a repeated key keeps its last value.</summary>
    public static Dictionary<string, string?> Data(string sectionPath, IEnumerable<Entry> entries)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries)
        {
            data[sectionPath.Replace('/', ':') + ":" + entry.Key] = entry.Value;
        }

        return data;
    }

    public static Outcome Generated<T>(IConfiguration configuration)
        where T : class, IKvSection<T>
    {
        try
        {
            return new(T.Bind(configuration.GetSection(T.ConfigurationPath)), null);
        }
        catch (KvBindingException e)
        {
            return new(null, e);
        }
    }

    public static Outcome Microsoft<T>(IConfiguration configuration)
        where T : class, IKvSection<T>
    {
        try
        {
            return new(configuration.GetSection(T.ConfigurationPath).Get<T>(), null);
        }
        catch (InvalidOperationException e)
        {
            return new(null, e);
        }
    }
}
