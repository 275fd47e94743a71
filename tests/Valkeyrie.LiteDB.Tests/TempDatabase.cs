namespace Valkeyrie.LiteDB.Tests;

/// <summary>A database file in a fresh temporary directory, deleted with the directory afterwards.</summary>
public sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Directory = Path.Combine(Path.GetTempPath(), "valkeyrie-litedb-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        FilePath = Path.Combine(Directory, "config.db");
    }

    public string Directory { get; }

    public string FilePath { get; }

    public LiteDbKvStore Open(Action<LiteDbKvStoreOptions>? configure = null)
    {
        var options = new LiteDbKvStoreOptions { FilePath = FilePath };
        configure?.Invoke(options);
        return new LiteDbKvStore(options);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A test that made the file immutable or mounted over the directory cleans up itself; never fail on cleanup.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
