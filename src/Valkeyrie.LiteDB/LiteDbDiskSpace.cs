namespace Valkeyrie.LiteDB;

/// <summary>
/// Refuses a write up front when the disk is nearly full. LiteDB 5 writes its log pages on a background thread after
/// the commit returned, and a failure there cannot be reported to the caller, so a full disk is caught before writing.
/// </summary>
internal static class LiteDbDiskSpace
{
    // A write touches data, index, change-log and meta pages, first in the log file and then in the data file.
    private const long FixedReserve = 256 * 1024;
    private const int PayloadFactor = 4;

    public static void Ensure(LiteDbFile file, string? key, long payloadBytes)
    {
        long available;
        try
        {
            available = new DriveInfo(Path.GetDirectoryName(file.FullPath) ?? file.FullPath).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            // The space cannot be measured here (an unusual mount); LiteDB's own errors still apply.
            return;
        }

        if (available < FixedReserve + (PayloadFactor * payloadBytes))
        {
            throw LiteDbErrors.DiskFull(file.Endpoint, key);
        }
    }
}
