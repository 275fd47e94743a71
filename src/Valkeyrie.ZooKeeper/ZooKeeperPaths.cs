using System.Text;

namespace Valkeyrie.ZooKeeper;

/// <summary>
/// Where keys and internal records live: key <c>a/b/c</c> is node <c>/a/b/c</c> (under the chroot); internal records
/// live under <c>/_valkeyrie</c> (the change log and lock queues); without a chroot ZooKeeper's own <c>/zookeeper</c>
/// node shares the root and is never a key.
/// </summary>
internal static class ZooKeeperPaths
{
    public const string Root = "/";
    public const string Internal = "/" + KvKeys.ReservedSegment;
    public const string ChangeLog = Internal + "/log";
    public const string ChangeLogEntryPrefix = ChangeLog + "/e-";
    public const string Locks = Internal + "/locks";
    private const string ZooKeeperSystem = "/zookeeper";

    public static string ToPath(string key) => key.Length == 0 ? Root : "/" + key;

    public static string ToKey(string path) => path.Length <= 1 ? string.Empty : path[1..];

    public static string Child(string parent, string name) => parent == Root ? Root + name : parent + "/" + name;

    public static string? Parent(string path)
    {
        if (path == Root)
        {
            return null;
        }

        var slash = path.LastIndexOf('/');
        return slash == 0 ? Root : path[..slash];
    }

    /// <summary>Whether a node can hold a key: not the root, not internal, not ZooKeeper's own node.</summary>
    public static bool IsKeyPath(string path) =>
        path.Length > 1 && !IsUnder(path, Internal) && !IsUnder(path, ZooKeeperSystem);

    public static bool IsChangeLogEntry(string path) => path.StartsWith(ChangeLogEntryPrefix, StringComparison.Ordinal);

    /// <summary>The queue node directory of the lock on <paramref name="key"/>: one segment, '%' and '/' escaped.</summary>
    public static string LockDirectory(string key) =>
        Locks + "/" + key.Replace("%", "%25", StringComparison.Ordinal).Replace("/", "%2F", StringComparison.Ordinal);

    /// <summary>
    /// Rejects keys ZooKeeper cannot store: it refuses node names with characters U+D800–U+F8FF (surrogates, so no
    /// emoji, and private use) and U+FFF0–U+FFFF.
    /// </summary>
    public static string CheckStorable(string key)
    {
        foreach (var c in key)
        {
            if (c is (>= '\ud800' and <= '\uf8ff') or >= '\ufff0')
            {
                throw new ArgumentException(
                    $"Invalid key '{key}' for ZooKeeper: it refuses characters U+D800–U+F8FF (such as emoji) and U+FFF0–U+FFFF in node names (found U+{(int)c:X4}).",
                    nameof(key));
            }
        }

        return key;
    }

    private static bool IsUnder(string path, string ancestor) =>
        path.StartsWith(ancestor, StringComparison.Ordinal) && (path.Length == ancestor.Length || path[ancestor.Length] == '/');

    /// <summary>The UTF-8 length of a path, for size limits.</summary>
    public static int ByteCount(string path) => Encoding.UTF8.GetByteCount(path);
}
