namespace Valkeyrie.LiteDB;

/// <summary>
/// The size and last-write time of the database file and its log file (<c>name-log.ext</c>). Taken while this
/// process still holds the file's mutex, it says what the file looked like after our own call, so a file-system event
/// our own write caused can be told apart from another process's write with two stat calls instead of a file open.
/// </summary>
internal sealed record LiteDbFileStamp(DateTime DataWritten, long DataLength, DateTime LogWritten, long LogLength)
{
    public static LiteDbFileStamp Read(string fullPath)
    {
        var data = new FileInfo(fullPath);
        var log = new FileInfo(Path.Combine(
            Path.GetDirectoryName(fullPath)!,
            Path.GetFileNameWithoutExtension(fullPath) + "-log" + Path.GetExtension(fullPath)));
        return new LiteDbFileStamp(
            data.Exists ? data.LastWriteTimeUtc : default,
            data.Exists ? data.Length : -1,
            log.Exists ? log.LastWriteTimeUtc : default,
            log.Exists ? log.Length : -1);
    }
}
