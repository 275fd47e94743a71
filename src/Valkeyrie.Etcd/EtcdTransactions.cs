using Etcdserverpb;
using Google.Protobuf;
using static Etcdserverpb.Compare.Types;

namespace Valkeyrie.Etcd;

/// <summary>Compare-and-swap compares and the mapping of <see cref="KvTransaction"/> to one etcd transaction.</summary>
internal static class EtcdTransactions
{
    /// <summary>The key's mod revision equals <paramref name="index"/>; 0 means absent (create revision 0).</summary>
    public static Compare IndexEquals(string key, ulong index) => index == 0
        ? new Compare { Key = EtcdKeys.Bytes(key), Target = CompareTarget.Create, Result = CompareResult.Equal, CreateRevision = 0 }
        : new Compare { Key = EtcdKeys.Bytes(key), Target = CompareTarget.Mod, Result = CompareResult.Equal, ModRevision = (long)index };

    /// <summary>
    /// Why a compare-and-swap failed, from the range of the key in the transaction's failure branch: create-only on an
    /// existing key, a different index, or no key at all.
    /// </summary>
    public static KvCasOutcome Mismatch(ulong expectedIndex, TxnResponse response)
    {
        var exists = response.Responses.Count > 0 && response.Responses[0].ResponseRange.Kvs.Count > 0;
        return expectedIndex == 0 ? KvCasOutcome.KeyExists : exists ? KvCasOutcome.KeyModified : KvCasOutcome.KeyNotFound;
    }

    /// <summary>Checks a transaction against the operation limit and prepares it.</summary>
    /// <exception cref="KvLimitExceededException">More checks or writes than the cluster accepts; nothing is sent.</exception>
    public static Plan Prepare(KvTransaction transaction, int maxOperations, string endpoint)
    {
        var checks = transaction.Operations.Where(o => o.Kind == KvTransactionOperationKind.CheckIndex).ToList();

        // etcd refuses two writes of one key in a transaction; applied in order, only the last one of each key counts.
        var lastWrite = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < transaction.Operations.Count; i++)
        {
            if (transaction.Operations[i].Kind != KvTransactionOperationKind.CheckIndex)
            {
                lastWrite[transaction.Operations[i].Key] = i;
            }
        }

        var writes = lastWrite.Values.Order().Select(i => transaction.Operations[i]).ToList();
        if (checks.Count > maxOperations || writes.Count > maxOperations)
        {
            throw new KvLimitExceededException("etcd", endpoint, null,
                $"the transaction has {checks.Count} checks and {writes.Count} writes; the cluster accepts at most {maxOperations} of each (--max-txn-ops). Nothing was written: split the transaction or raise the server's limit and maxTxnOps.");
        }

        return new Plan(checks, writes);
    }

    /// <summary>A transaction ready to send: its checks, its writes, and the lease TTLs (whole seconds) its writes need.</summary>
    internal sealed class Plan(IReadOnlyList<KvTransactionOperation> checks, IReadOnlyList<KvTransactionOperation> writes)
    {
        public IEnumerable<long> TtlSeconds => writes
            .Where(w => w.Options?.Ttl is not null)
            .Select(w => EtcdLeases.Seconds(w.Options!.Ttl!.Value))
            .Distinct();

        /// <summary>The etcd transaction, given the lease granted for each TTL.</summary>
        public TxnRequest ToRequest(IReadOnlyDictionary<long, long> leases)
        {
            var request = new TxnRequest();
            request.Compare.AddRange(checks.Select(c => IndexEquals(c.Key, c.Index)));
            request.Success.AddRange(writes.Select(w => w.Kind == KvTransactionOperationKind.Put
                ? new RequestOp
                {
                    RequestPut = new PutRequest
                    {
                        Key = EtcdKeys.Bytes(w.Key),
                        Value = ByteString.CopyFrom(w.Value.Span),
                        Lease = w.Options?.Ttl is { } ttl ? leases[EtcdLeases.Seconds(ttl)] : 0,
                    },
                }
                : new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = EtcdKeys.Bytes(w.Key) } }));
            return request;
        }
    }
}
