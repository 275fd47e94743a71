using LiteDB;

namespace Valkeyrie.LiteDB;

/// <summary>The changes of one write call: all share one new revision, which becomes each written key's index.</summary>
internal sealed class LiteDbWriteBatch(LiteDbSession session, ulong revision)
{
    /// <summary>The revision this batch's changes get (committed only when <see cref="HasChanges"/>).</summary>
    public ulong Revision => revision;

    /// <summary>Whether anything was written (a batch of deletes of missing keys uses no revision).</summary>
    public bool HasChanges { get; private set; }

    public KvPair Put(string key, ReadOnlyMemory<byte> value, TimeSpan? ttl)
    {
        var bytes = value.ToArray();
        session.KeysCollection.Upsert(new BsonDocument
        {
            ["_id"] = key,
            [LiteDbSchema.Value] = bytes,
            [LiteDbSchema.Index] = (long)revision,
            [LiteDbSchema.Expires] = session.ExpiryFrom(ttl),
        });
        session.LogChange(revision, key, bytes);
        HasChanges = true;
        return new KvPair(key, bytes, revision);
    }

    public bool Delete(string key)
    {
        if (!session.KeysCollection.Delete(key))
        {
            return false;
        }

        session.LogChange(revision, key, null);
        HasChanges = true;
        return true;
    }
}
