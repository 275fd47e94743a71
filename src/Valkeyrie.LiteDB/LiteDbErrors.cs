using LiteDB;

namespace Valkeyrie.LiteDB;

/// <summary>Maps LiteDB and file-system failures to the <see cref="KvException"/> family, naming the file and key.</summary>
internal static class LiteDbErrors
{
    public const string Backend = "litedb";

    // errno values (Linux/macOS) and Win32 error codes that .NET reports in IOException.HResult.
    private const int EnospcUnix = 28;
    private const int ErofsUnix = 30;
    private const int DiskFullWindows = unchecked((int)0x80070070);
    private const int HandleDiskFullWindows = unchecked((int)0x80070027);

    public static Exception Map(Exception exception, string endpoint, string? key) => exception switch
    {
        KvException or OperationCanceledException or ArgumentException or ObjectDisposedException => exception,
        LiteException lite => MapLite(lite, endpoint, key),
        UnauthorizedAccessException => new KvAuthenticationException(
            Backend, endpoint, key,
            "the process may not open the database file for writing (file or directory permissions, or an immutable file). Grant write access, or open it with '?readonly=true' to read only.",
            exception),
        FileNotFoundException or DirectoryNotFoundException => new KvConfigurationException(
            $"{Where(endpoint, key)}: the database file or its directory does not exist (a read-only store never creates it). Check the path in the connection string.",
            exception),
        IOException io when IsDiskFull(io) => DiskFull(endpoint, key, exception),
        IOException io when io.HResult == ErofsUnix && !OperatingSystem.IsWindows() => new KvAuthenticationException(
            Backend, endpoint, key, "the file system is read-only; open the store with '?readonly=true' or move the file to a writable location.", exception),
        IOException => new KvUnavailableException(
            Backend, endpoint, key,
            $"the database file could not be accessed ({exception.Message}). It may be held exclusively by another program; the call can be retried.",
            exception),
        _ => exception,
    };

    public static KvLimitExceededException DiskFull(string endpoint, string? key, Exception? inner = null) => new(
        Backend, endpoint, key, "the disk holding the database file is full; nothing was written. Free some space and retry.", inner);

    public static KvUnavailableException Busy(string endpoint, string? key, TimeSpan waited) => new(
        Backend, endpoint, key,
        $"the database file stayed locked by another store or process for {waited.TotalSeconds:0.#} s. Retry later, or raise '?timeout=' if long writes are expected.");

    public static KvConfigurationException NotAStore(string endpoint, string reason) => new(
        $"{Where(endpoint, null)}: the file is not a Valkeyrie LiteDB store ({reason}). It was left untouched: point the connection string at another file, or restore the file from a backup.");

    public static KvAuthenticationException ReadOnly(string endpoint, string? key) => new(
        Backend, endpoint, key, "the store was opened read-only ('readonly=true'), so it cannot write. Open it without 'readonly' to write.");

    private static KvException MapLite(LiteException exception, string endpoint, string? key) => exception.ErrorCode switch
    {
        LiteException.INVALID_PASSWORD => new KvAuthenticationException(
            Backend, endpoint, key, "the password does not open this encrypted database file. Check the 'password' parameter.", exception),
        LiteException.NOT_ENCRYPTED => new KvConfigurationException(
            $"{Where(endpoint, key)}: a password was given but the database file is not encrypted. Remove the 'password' parameter.", exception),
        LiteException.INVALID_DATABASE or LiteException.INVALID_DATAFILE_STATE => NotAStore(endpoint, "LiteDB reports an invalid or damaged data file"),
        LiteException.LOCK_TIMEOUT => new KvUnavailableException(Backend, endpoint, key, "LiteDB timed out waiting for a lock; retry the call.", exception),
        LiteException.FILE_SIZE_EXCEEDED => new KvLimitExceededException(
            Backend, endpoint, key, "the database file reached its size limit; nothing was written.", exception),
        _ => new KvException(Backend, endpoint, key, $"LiteDB failed (error {exception.ErrorCode}): {exception.Message}", exception),
    };

    private static bool IsDiskFull(IOException exception) =>
        OperatingSystem.IsWindows()
            ? exception.HResult is DiskFullWindows or HandleDiskFullWindows
            : exception.HResult == EnospcUnix;

    private static string Where(string endpoint, string? key) =>
        key is null ? $"{Backend} at {endpoint}" : $"{Backend} at {endpoint}, key '{key}'";
}
