using System.CommandLine;

namespace Valkeyrie.Cli;

/// <summary>Options every command accepts.</summary>
internal sealed class GlobalOptions(CliConsole console)
{
    // No default value on the option: help prints an option's default, and $VALKEYRIE_STORE may hold a password.
    public Option<string?> Store { get; } = new("--store", "-s")
    {
        Description = $"The store's connection string (default: ${CliApp.StoreVariable}, else {CliApp.DefaultStore}).",
        Recursive = true,
    };

    public Option<bool> Verbose { get; } = new("--verbose")
    {
        Description = "Print stack traces of errors.",
        Recursive = true,
    };

    /// <summary>Opens the store named by --store, else $VALKEYRIE_STORE, else the default LiteDB file (saying so when it creates it).</summary>
    public IKvStore OpenStore(ParseResult parse)
    {
        if (parse.GetValue(Store) is { Length: > 0 } given)
        {
            return OpenStore(given);
        }

        if (Environment.GetEnvironmentVariable(CliApp.StoreVariable) is { Length: > 0 } fromEnvironment)
        {
            return OpenStore(fromEnvironment);
        }

        if (!File.Exists(CliApp.DefaultStoreFile))
        {
            console.Error.WriteLine(
                $"valkeyrie: no --store and no ${CliApp.StoreVariable}: creating {Path.GetFullPath(CliApp.DefaultStoreFile)} ({CliApp.DefaultStore}).");
        }

        return OpenStore(CliApp.DefaultStore);
    }

    public static IKvStore OpenStore(string connectionString) => KvStoreFactory.Create(connectionString);
}
