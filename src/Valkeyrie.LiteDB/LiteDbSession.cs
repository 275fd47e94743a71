using LiteDB;
using Valkeyrie.Backends;

namespace Valkeyrie.LiteDB;

/// <summary>
/// One call's view of an open database file, used while the file's cross-process lock is held and on one thread
/// (LiteDB transactions are bound to their thread). Reads hide expired keys; writes run in one LiteDB transaction
/// that first sweeps expired keys, then applies a batch under a new revision, logs it and trims the log.
/// </summary>
internal sealed class LiteDbSession
{
    private readonly LiteDatabase _db;
    private readonly ILiteCollection<BsonDocument> _keys;
    private readonly ILiteCollection<BsonDocument> _changes;
    private readonly ILiteCollection<BsonDocument> _meta;
    private readonly int _logRevisions;
    private readonly string _endpoint;
    private readonly Func<string?, Exception>? _denyWrite;

    /// <summary>Opens the view; <paramref name="denyWrite"/> is set when the file is open read-only and makes the error writes get.</summary>
    public LiteDbSession(LiteDatabase db, Func<string?, Exception>? denyWrite, int logRevisions, string endpoint)
    {
        _db = db;
        _keys = db.GetCollection(LiteDbSchema.Keys, BsonAutoId.ObjectId);
        _changes = db.GetCollection(LiteDbSchema.Changes, BsonAutoId.Int64);
        _meta = db.GetCollection(LiteDbSchema.Meta, BsonAutoId.ObjectId);
        _logRevisions = logRevisions;
        _endpoint = endpoint;
        _denyWrite = denyWrite;
        NowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        LoadMeta();
    }

    public bool Writable => _denyWrite is null;

    /// <summary>The wall-clock time of this call in Unix milliseconds: expiry is shared between processes, so it is wall time.</summary>
    public long NowMs { get; }

    /// <summary>The revision of the last committed write.</summary>
    public ulong Revision { get; private set; }

    /// <summary>The highest revision whose changes were trimmed from the log.</summary>
    public ulong TrimmedThrough { get; private set; }

    internal ILiteCollection<BsonDocument> KeysCollection => _keys;

    public KvPair? Find(string key) => ToLivePair(_keys.FindById(key));

    public List<KvPair> Scan(KvScope scope)
    {
        if (!scope.IsTree)
        {
            return Find(scope.Key) is { } pair ? [pair] : [];
        }

        // With the binary collation every descendant of "p" lies between "p/" and "p0" ('0' follows '/').
        var documents = scope.Key.Length == 0
            ? _keys.FindAll()
            : _keys.Find(Query.Between("_id", scope.Key + KvKeys.Separator, scope.Key + "0"));
        var pairs = new List<KvPair>();
        foreach (var document in documents)
        {
            if (ToLivePair(document) is { } pair && scope.Contains(pair.Key))
            {
                pairs.Add(pair);
            }
        }

        pairs.Sort((a, b) => KvKeys.Comparer.Compare(a.Key, b.Key));
        return pairs;
    }

    /// <summary>When the live key expires (Unix ms), or <see langword="null"/> when it is missing or permanent.</summary>
    public long? ExpiresAt(string key) =>
        _keys.FindById(key) is { } document && ExpiryOf(document) is { } expires && expires > NowMs ? expires : null;

    /// <summary>Applies a batch of changes in one transaction under a new revision; nothing is written when it throws.</summary>
    public T Write<T>(Func<LiteDbWriteBatch, T> apply, string? key = null)
    {
        if (_denyWrite is not null)
        {
            throw _denyWrite(key);
        }

        var (revision, trimmed) = (Revision, TrimmedThrough);
        _db.BeginTrans();
        try
        {
            SweepExpiredCore();
            var batch = new LiteDbWriteBatch(this, Revision + 1);
            var result = apply(batch);
            if (batch.HasChanges)
            {
                Revision = batch.Revision;
            }

            TrimLog();
            SaveMeta();
            _db.Commit();
            return result;
        }
        catch
        {
            (Revision, TrimmedThrough) = (revision, trimmed);
            _db.Rollback();
            throw;
        }
    }

    /// <summary>Deletes expired keys and logs their deletes, when there are any and the store may write.</summary>
    public void SweepExpired()
    {
        if (Writable && _keys.Exists(ExpiredQuery()))
        {
            Write(_ => true);
        }
    }

    /// <summary>Extends a live key's expiry when it still carries <paramref name="index"/>; no new revision (nothing visible changes).</summary>
    public bool Renew(string key, ulong index, TimeSpan ttl)
    {
        if (_denyWrite is not null)
        {
            throw _denyWrite(key);
        }

        var document = _keys.FindById(key);
        if (ToLivePair(document) is not { } pair || pair.LastIndex != index)
        {
            return false;
        }

        document[LiteDbSchema.Expires] = ExpiryFrom(ttl);
        return _keys.Update(document);
    }

    /// <summary>
    /// The logged changes in <paramref name="scope"/> after <paramref name="afterRevision"/>, one batch per revision, ending
    /// with an empty batch at the current revision so the reader advances past changes outside its scope.
    /// </summary>
    public List<KvTreeChange> ReadChanges(KvScope scope, ulong afterRevision)
    {
        if (afterRevision < TrimmedThrough)
        {
            throw new KvHistoryLostException(
                $"{LiteDbErrors.Backend} at {_endpoint}: changes after revision {afterRevision} were trimmed from the change log (kept after {TrimmedThrough}).");
        }

        if (afterRevision > Revision)
        {
            throw new KvHistoryLostException(
                $"{LiteDbErrors.Backend} at {_endpoint}: the file is at revision {Revision}, behind revision {afterRevision} already seen (was the file replaced?).");
        }

        var batches = new List<KvTreeChange>();
        if (afterRevision == Revision)
        {
            return batches;
        }

        var documents = _changes.Find(Query.GT(LiteDbSchema.Revision, (long)afterRevision)).ToList();
        documents.Sort((a, b) => a["_id"].AsInt64.CompareTo(b["_id"].AsInt64));
        var events = new List<KvEvent>();
        ulong current = 0;
        foreach (var document in documents)
        {
            var revision = (ulong)document[LiteDbSchema.Revision].AsInt64;
            if (revision != current && events.Count > 0)
            {
                batches.Add(KvTreeChange.FromEvents(events, current));
                events = [];
            }

            current = revision;
            var key = document[LiteDbSchema.Key].AsString;
            if (scope.Contains(key))
            {
                events.Add(document[LiteDbSchema.IsPut].AsBoolean
                    ? KvEvent.Put(new KvPair(key, document[LiteDbSchema.Value].AsBinary, revision))
                    : KvEvent.Delete(key, revision));
            }
        }

        if (events.Count > 0)
        {
            batches.Add(KvTreeChange.FromEvents(events, current));
        }

        batches.Add(KvTreeChange.FromEvents([], Revision));
        return batches;
    }

    internal BsonValue ExpiryFrom(TimeSpan? ttl) =>
        ttl is { } t ? new BsonValue(NowMs + (long)Math.Ceiling(t.TotalMilliseconds)) : BsonValue.Null;

    internal void LogChange(ulong revision, string key, ReadOnlyMemory<byte>? value)
    {
        var document = new BsonDocument
        {
            [LiteDbSchema.Revision] = (long)revision,
            [LiteDbSchema.Key] = key,
            [LiteDbSchema.IsPut] = value is not null,
        };
        if (value is { } bytes)
        {
            document[LiteDbSchema.Value] = bytes.ToArray();
        }

        _changes.Insert(document);
    }

    private static long? ExpiryOf(BsonDocument document) =>
        document[LiteDbSchema.Expires] is { IsNull: false } expires ? expires.AsInt64 : null;

    private BsonExpression ExpiredQuery() => Query.Between(LiteDbSchema.Expires, 0L, NowMs);

    private KvPair? ToLivePair(BsonDocument? document)
    {
        if (document is null || ExpiryOf(document) is { } expires && expires <= NowMs)
        {
            return null;
        }

        return new KvPair(document["_id"].AsString, document[LiteDbSchema.Value].AsBinary, (ulong)document[LiteDbSchema.Index].AsInt64);
    }

    private void SweepExpiredCore()
    {
        var expired = _keys.Find(ExpiredQuery()).Select(d => d["_id"].AsString).ToList();
        if (expired.Count == 0)
        {
            return;
        }

        // Expiry is its own revision, before the call's own changes, as if the sweeper had run just before.
        var revision = Revision + 1;
        foreach (var key in expired)
        {
            _keys.Delete(key);
            LogChange(revision, key, null);
        }

        Revision = revision;
    }

    private void TrimLog()
    {
        if (Revision <= (ulong)_logRevisions)
        {
            return;
        }

        var cutoff = Revision - (ulong)_logRevisions;
        if (cutoff > TrimmedThrough)
        {
            _changes.DeleteMany(Query.LTE(LiteDbSchema.Revision, (long)cutoff));
            TrimmedThrough = cutoff;
        }
    }

    private void LoadMeta()
    {
        var meta = _meta.FindById(LiteDbSchema.MetaId);
        if (meta is null)
        {
            // A new file (or a LiteDB file without a store yet): a read-only view sees an empty store.
            if (Writable)
            {
                Initialize();
            }

            return;
        }

        var format = meta[LiteDbSchema.Format];
        if (!format.IsNumber || format.AsInt32 != LiteDbSchema.FormatVersion)
        {
            throw LiteDbErrors.NotAStore(_endpoint, $"its layout version is {format}, this package reads version {LiteDbSchema.FormatVersion}; upgrade Valkeyrie.LiteDB");
        }

        Revision = (ulong)meta[LiteDbSchema.CurrentRevision].AsInt64;
        TrimmedThrough = (ulong)meta[LiteDbSchema.TrimmedThrough].AsInt64;
    }

    private void Initialize()
    {
        _db.BeginTrans();
        try
        {
            _keys.EnsureIndex(LiteDbSchema.Expires);
            _changes.EnsureIndex(LiteDbSchema.Revision);
            SaveMeta();
            _db.Commit();
        }
        catch
        {
            _db.Rollback();
            throw;
        }
    }

    private void SaveMeta() => _meta.Upsert(new BsonDocument
    {
        ["_id"] = LiteDbSchema.MetaId,
        [LiteDbSchema.Format] = LiteDbSchema.FormatVersion,
        [LiteDbSchema.CurrentRevision] = (long)Revision,
        [LiteDbSchema.TrimmedThrough] = (long)TrimmedThrough,
    });
}
