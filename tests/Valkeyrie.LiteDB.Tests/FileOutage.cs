namespace Valkeyrie.LiteDB.Tests;

/// <summary>Makes a database file inaccessible to every store by holding it exclusively, as another program might.</summary>
public sealed class FileOutage(string path)
{
    private FileStream? _exclusive;

    /// <summary>Waits for the calls in flight to close the file, then holds it exclusively.</summary>
    public async Task BeginAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                _exclusive = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                return;
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
            }
        }
    }

    /// <summary>Gives the file back.</summary>
    public void End()
    {
        _exclusive?.Dispose();
        _exclusive = null;
    }
}
