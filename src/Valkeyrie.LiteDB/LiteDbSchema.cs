using System.Text;

namespace Valkeyrie.LiteDB;

/// <summary>
/// The on-file layout (documented in docs/backends/litedb.md): three collections next to whatever else the file
/// holds, and the check that a file is a LiteDB 5 file before LiteDB is allowed to touch it.
/// </summary>
internal static class LiteDbSchema
{
    /// <summary>The layout version written to the meta document; a newer version is refused, never rewritten.</summary>
    public const int FormatVersion = 1;

    /// <summary>User keys: <c>_id</c> = key, <c>value</c> = bytes, <c>index</c> = revision of the last write, <c>expires</c> = Unix ms.</summary>
    public const string Keys = "valkeyrie_keys";

    /// <summary>The change log: one document per changed key, <c>rev</c>, <c>key</c>, <c>put</c>, <c>value</c>.</summary>
    public const string Changes = "valkeyrie_changes";

    /// <summary>One document: format, current revision, and the revision the change log is trimmed through.</summary>
    public const string Meta = "valkeyrie_meta";

    public const string MetaId = "store";

    public const string Value = "value";
    public const string Index = "index";
    public const string Expires = "expires";
    public const string Revision = "rev";
    public const string Key = "key";
    public const string IsPut = "put";
    public const string Format = "format";
    public const string CurrentRevision = "revision";
    public const string TrimmedThrough = "trimmed";

    private const int PageSize = 8192;
    private const int HeaderInfoOffset = 32;
    private const int FileVersionOffset = 59;
    private const byte LiteDb5FileVersion = 8;
    private static readonly byte[] HeaderInfo = Encoding.ASCII.GetBytes("** This is a LiteDB file **");

    /// <summary>
    /// Whether the file is new (absent or empty), and throws when it is not a LiteDB 5 file. This runs before LiteDB
    /// opens the file because LiteDB "repairs" a file whose length is not a whole number of pages by truncating it,
    /// which would destroy a foreign file given by mistake.
    /// </summary>
    public static bool CheckFile(string path, string endpoint, bool hasPassword)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.Length == 0)
        {
            return true;
        }

        var header = new byte[PageSize];
        int read;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1))
        {
            read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }

        // An encrypted LiteDB 5 file starts with 1 followed by its salt; everything else is encrypted.
        if (read > 0 && header[0] == 1)
        {
            if (!hasPassword)
            {
                throw new KvAuthenticationException(LiteDbErrors.Backend, endpoint, null, "the database file is encrypted: add '?password=…' to the connection string.");
            }

            return false;
        }

        if (hasPassword)
        {
            throw new KvConfigurationException(
                $"{LiteDbErrors.Backend} at {endpoint}: a password was given but the database file is not encrypted. Remove the 'password' parameter.");
        }

        if (read < FileVersionOffset + 1 || !header.AsSpan(HeaderInfoOffset, HeaderInfo.Length).SequenceEqual(HeaderInfo))
        {
            throw LiteDbErrors.NotAStore(endpoint, "it has no LiteDB header");
        }

        if (header[FileVersionOffset] != LiteDb5FileVersion)
        {
            throw LiteDbErrors.NotAStore(endpoint, $"it is a LiteDB file of format {header[FileVersionOffset]}, not LiteDB 5's format {LiteDb5FileVersion}");
        }

        return false;
    }
}
