using Valkeyrie.ZooKeeper.Protocol;

namespace Valkeyrie.ZooKeeper;

/// <summary>One change of a change-log entry: a put with its value, or a delete.</summary>
internal readonly record struct ZooKeeperChange(string Key, byte[]? Value)
{
    public bool IsDelete => Value is null;
}

/// <summary>
/// The data of a change-log entry (a sequential node under <c>/_valkeyrie/log</c> created in the same multi as the
/// writes it describes, so its creation zxid is the index of every put in it). ZooKeeper's notifications carry no
/// data and a node read after a notification may already hold a later value; the log keeps every value so watchers
/// see each write. Format: a version byte, then per change a kind byte (1 put, 2 delete), the key, and for a put the value.
/// </summary>
internal static class ZooKeeperChangeRecord
{
    private const byte FormatVersion = 1;
    private const int PutKind = 1;
    private const int DeleteKind = 2;

    public static byte[] Encode(IReadOnlyList<ZooKeeperChange> changes)
    {
        var writer = new JuteWriter().Byte(FormatVersion).Int(changes.Count);
        foreach (var change in changes)
        {
            writer.Int(change.IsDelete ? DeleteKind : PutKind).String(change.Key);
            if (!change.IsDelete)
            {
                writer.Buffer(change.Value);
            }
        }

        return writer.ToBody();
    }

    public static List<ZooKeeperChange> Decode(byte[] data)
    {
        if (data.Length == 0 || data[0] != FormatVersion)
        {
            throw new InvalidDataException($"Unknown Valkeyrie change-log format {(data.Length == 0 ? "(empty)" : data[0].ToString(System.Globalization.CultureInfo.InvariantCulture))}.");
        }

        var reader = new JuteReader(data.AsMemory(1));
        var count = reader.Int();
        var changes = new List<ZooKeeperChange>(count);
        for (var i = 0; i < count; i++)
        {
            var kind = reader.Int();
            var key = reader.String();
            changes.Add(new ZooKeeperChange(key, kind == PutKind ? reader.Buffer() : null));
        }

        return changes;
    }
}
