namespace Valkeyrie.ZooKeeper.Protocol;

/// <summary>
/// A failed ZooKeeper request: the server's error code, or <see cref="ZkErrorCode.ConnectionLoss"/> /
/// <see cref="ZkErrorCode.OperationTimeout"/> raised by the client itself. The store maps it to the KvException family.
/// </summary>
internal sealed class ZkException : Exception
{
    public ZkException(ZkErrorCode code, string? path, string? detail = null, Exception? innerException = null)
        : base(Describe(code, path, detail), innerException)
    {
        Code = code;
        Path = path;
    }

    public ZkException()
        : this(ZkErrorCode.SystemError, null)
    {
    }

    public ZkException(string message)
        : base(message)
    {
    }

    public ZkException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ZkErrorCode Code { get; }

    public string? Path { get; }

    /// <summary>For a failed multi: the position of the operation that failed, or -1.</summary>
    public int FailedOperation { get; init; } = -1;

    /// <summary>True when a write reached a connection but its reply was lost: the server may have applied it.</summary>
    public bool MayHaveBeenApplied { get; init; }

    /// <summary>Whether retrying on a healthy connection may succeed.</summary>
    public bool IsTransient => Code is ZkErrorCode.ConnectionLoss or ZkErrorCode.OperationTimeout or ZkErrorCode.SessionExpired
        or ZkErrorCode.SessionMoved or ZkErrorCode.RequestTimeout or ZkErrorCode.Throttled or ZkErrorCode.NotReadOnly;

    private static string Describe(ZkErrorCode code, string? path, string? detail)
    {
        var text = path is null ? $"ZooKeeper error {code} ({(int)code})" : $"ZooKeeper error {code} ({(int)code}) on {path}";
        return detail is null ? text : $"{text}: {detail}";
    }
}
