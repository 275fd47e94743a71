namespace Valkeyrie.Cli;

/// <summary>The documented exit codes (docs/cli.md).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The key does not exist, a compare-and-swap lost, or a lock was not acquired in time.</summary>
    public const int NotFoundOrConflict = 1;

    /// <summary>Bad arguments: unknown command or option, bad connection string, unknown scheme, invalid key.</summary>
    public const int Usage = 2;

    /// <summary>The store could not be reached or did not answer in time.</summary>
    public const int Unavailable = 3;

    /// <summary>The store refused the call: credentials, limits, unreadable data.</summary>
    public const int StoreError = 4;

    /// <summary>A write was sent but its answer was lost: it may or may not have been applied (check before retrying).</summary>
    public const int OutcomeUnknown = 5;
}
