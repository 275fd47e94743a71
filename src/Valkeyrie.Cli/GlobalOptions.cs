using System.CommandLine;

namespace Valkeyrie.Cli;

/// <summary>Options every command accepts.</summary>
internal sealed class GlobalOptions
{
    public Option<string> Store { get; } = new("--store", "-s")
    {
        Description = $"The store's connection string (default: ${CliApp.StoreVariable}, else {CliApp.DefaultStore}).",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(CliApp.StoreVariable) is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : CliApp.DefaultStore,
    };

    public Option<bool> Verbose { get; } = new("--verbose")
    {
        Description = "Print stack traces of errors.",
        Recursive = true,
    };

    /// <summary>Opens the store named by --store.</summary>
    public IKvStore OpenStore(ParseResult parse) => OpenStore(parse.GetValue(Store)!);

    public static IKvStore OpenStore(string connectionString) => KvStoreFactory.Create(connectionString);
}
