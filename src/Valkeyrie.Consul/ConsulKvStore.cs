using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Valkeyrie.Backends;

namespace Valkeyrie.Consul;

/// <summary>
/// A store on Consul's KV API. Keys are Consul keys, <see cref="KvPair.LastIndex"/> is the key's <c>ModifyIndex</c>,
/// every write goes through <c>/v1/txn</c> (so its new index is known atomically), TTLs and locks are sessions with
/// behavior <c>delete</c>, and watches are blocking queries whose answers are diffed into per-key events.
/// See docs/backends/consul.md.
/// </summary>
public sealed class ConsulKvStore : KvStoreBase
{
    private readonly ConsulKvStoreOptions _options;
    private readonly ConsulTransport _transport;
    private readonly ConsulTxnOps _ops;

    /// <summary>Creates a store; nothing is sent until the first call.</summary>
    /// <param name="options">The agents, token, datacenter and timeouts.</param>
    /// <exception cref="KvConfigurationException">The options are invalid.</exception>
    public ConsulKvStore(ConsulKvStoreOptions options)
        : base(KvStoreLimits.Consul)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _transport = new ConsulTransport(options);
        _ops = new ConsulTxnOps(options.Namespace);
        Sessions = new ConsulSessions(_transport, options);
    }

    internal ConsulSessions Sessions { get; }

    internal ConsulTxnOps Ops => _ops;

    internal ConsulTransport Transport => _transport;

    /// <inheritdoc />
    protected override string? EndpointName => _transport.CurrentEndpoint;

    /// <summary>Creates a store from a parsed <c>consul://</c> connection string.</summary>
    /// <param name="connectionString">The connection string.</param>
    public static ConsulKvStore Create(KvConnectionString connectionString) =>
        new(ConsulKvStoreOptions.FromConnectionString(connectionString));

    /// <inheritdoc />
    protected override IKvChangeFeed ChangeFeed => new ConsulChangeFeed(this);

    /// <inheritdoc />
    protected override async Task<KvPair?> GetCoreAsync(string key, KvReadOptions options, CancellationToken cancellationToken)
    {
        var (entries, _) = await ReadAsync(KvScope.ForKey(key), options, 0, cancellationToken).ConfigureAwait(false);
        return entries.Count > 0 ? entries[0].Pair : null;
    }

    /// <inheritdoc />
    protected override async Task<KvPair> PutCoreAsync(string key, ReadOnlyMemory<byte> value, KvWriteOptions options, CancellationToken cancellationToken)
    {
        var pair = await WriteAsync(key, value, options, [], cancellationToken).ConfigureAwait(false);
        return pair ?? throw new KvException(ConsulTransport.Backend, _transport.CurrentEndpoint, key, "the write was rolled back unexpectedly; retry.");
    }

    /// <inheritdoc />
    protected override async Task<bool> DeleteCoreAsync(string key, CancellationToken cancellationToken)
    {
        // The get fails the transaction when the key is missing, which tells a delete from a no-op atomically.
        var (applied, _) = await TransactAsync([_ops.Get(key), _ops.Delete(key)], key, cancellationToken).ConfigureAwait(false);
        return applied;
    }

    /// <inheritdoc />
    protected override async Task<IReadOnlyList<KvPair>> ListCoreAsync(string prefix, KvReadOptions options, CancellationToken cancellationToken)
    {
        var (entries, _) = await ReadAsync(KvScope.ForTree(prefix), options, 0, cancellationToken).ConfigureAwait(false);
        return [.. entries.Select(e => e.Pair)];
    }

    /// <inheritdoc />
    protected override async Task<int> DeleteTreeCoreAsync(string prefix, CancellationToken cancellationToken)
    {
        if (prefix.Length > 0)
        {
            return await DeleteSubtreeAsync(prefix, cancellationToken).ConfigureAwait(false);
        }

        // The root: delete each top-level tree except the reserved one, which holds other clients' internal records.
        var (entries, _) = await ReadAsync(KvScope.ForTree(string.Empty), KvReadOptions.Default, 0, cancellationToken).ConfigureAwait(false);
        var deleted = 0;
        foreach (var top in entries.Select(e => e.Pair.Key.Split(KvKeys.Separator)[0]).Distinct(StringComparer.Ordinal))
        {
            deleted += await DeleteSubtreeAsync(top, cancellationToken).ConfigureAwait(false);
        }

        return deleted;
    }

    /// <inheritdoc />
    protected override async Task<KvCasResult> AtomicPutCoreAsync(string key, ReadOnlyMemory<byte> value, ulong expectedIndex, KvWriteOptions options, CancellationToken cancellationToken)
    {
        // Failing checks are told apart by the index of the operation that failed.
        ConsulTxnOperation[] checks = expectedIndex == 0
            ? [_ops.CheckNotExists(key)]
            : [_ops.Get(key), _ops.CheckIndex(key, expectedIndex)];
        var failed = new List<ConsulTxnError>();
        var pair = await WriteAsync(key, value, options, checks, cancellationToken, failed).ConfigureAwait(false);
        if (pair is not null)
        {
            return KvCasResult.Success(pair);
        }

        return KvCasResult.Failure(expectedIndex == 0 ? KvCasOutcome.KeyExists : FirstFailure(failed, key) == 0 ? KvCasOutcome.KeyNotFound : KvCasOutcome.KeyModified);
    }

    /// <inheritdoc />
    protected override async Task<KvCasResult> AtomicDeleteCoreAsync(string key, ulong expectedIndex, CancellationToken cancellationToken)
    {
        var (applied, response) = await TransactAsync([_ops.Get(key), _ops.DeleteCas(key, expectedIndex)], key, cancellationToken).ConfigureAwait(false);
        return applied
            ? KvCasResult.Success(null)
            : KvCasResult.Failure(FirstFailure(response.Errors, key) == 0 ? KvCasOutcome.KeyNotFound : KvCasOutcome.KeyModified);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Consul applies at most 64 operations per transaction. Checks and deletes cost one each, puts two (a delete that
    /// clears any TTL session, then the write), so <see cref="KvStoreLimits.Consul"/> allows 32 operations of any kind.
    /// </remarks>
    protected override async Task<bool> CommitCoreAsync(KvTransaction transaction, CancellationToken cancellationToken)
    {
        var cost = transaction.Operations.Sum(o => o.Kind == KvTransactionOperationKind.Put ? ConsulTxnOps.WriteCost : 1);
        var sessions = new Dictionary<TimeSpan, string>();
        var committed = false;
        try
        {
            var operations = new List<ConsulTxnOperation>(cost);
            foreach (var operation in transaction.Operations)
            {
                switch (operation.Kind)
                {
                    case KvTransactionOperationKind.CheckIndex:
                        operations.Add(operation.Index == 0 ? _ops.CheckNotExists(operation.Key) : _ops.CheckIndex(operation.Key, operation.Index));
                        break;
                    case KvTransactionOperationKind.Put:
                        string? session = null;
                        if (operation.Options?.Ttl is { } ttl && !sessions.TryGetValue(ttl, out session))
                        {
                            session = await Sessions.CreateAsync(ttl, operation.Key, cancellationToken).ConfigureAwait(false);
                            sessions[ttl] = session;
                        }

                        operations.AddRange(_ops.Write(operation.Key, operation.Value, session));
                        break;
                    case KvTransactionOperationKind.Delete:
                        operations.Add(_ops.Delete(operation.Key));
                        break;
                }
            }

            (committed, _) = await TransactAsync(operations, FirstKey(transaction), cancellationToken).ConfigureAwait(false);
            return committed;
        }
        finally
        {
            if (!committed)
            {
                foreach (var (_, session) in sessions)
                {
                    await Sessions.DestroyQuietlyAsync(session, string.Empty).ConfigureAwait(false);
                }
            }
        }
    }

    /// <inheritdoc />
    protected override IKvLock CreateLockCore(string key, KvLockOptions options) => new ConsulKvLock(this, key, options);

    /// <summary>
    /// Closes the transport. Keep-alive keys and lock sessions were abandoned, not released, as if the process died:
    /// Consul deletes them when their sessions expire.
    /// </summary>
    protected override ValueTask CloseCoreAsync()
    {
        _transport.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Reads a key or tree, optionally as a blocking query that returns once the index passes <paramref name="waitIndex"/>
    /// (or the wait time ends). Entries are canonical, visible, in scope and sorted.
    /// </summary>
    internal async Task<(List<ConsulEntry> Entries, ulong Index)> ReadAsync(KvScope scope, KvReadOptions options, ulong waitIndex, CancellationToken cancellationToken)
    {
        var path = scope.IsTree ? ConsulKeys.TreePath(scope.Key) : ConsulKeys.KeyPath(scope.Key);
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        if (options.Consistent)
        {
            path += separator + "consistent";
            separator = '&';
        }

        var timeout = _options.RequestTimeout;
        if (waitIndex > 0)
        {
            path += $"{separator}index={waitIndex}&wait={(long)_options.WaitTime.TotalMilliseconds}ms";
            // Consul adds up to wait/16 of jitter before it answers.
            timeout += _options.WaitTime + (_options.WaitTime / 16);
        }

        var response = await _transport.SendAsync(HttpMethod.Get, path, null, scope.Key, timeout, cancellationToken).ConfigureAwait(false);
        var entries = new List<ConsulEntry>();
        if (response.IsSuccess)
        {
            foreach (var entry in Parse(response, scope.Key))
            {
                if (ConsulKeys.IsVisible(entry.Key) && scope.Contains(entry.Key))
                {
                    entries.Add(new ConsulEntry(new KvPair(entry.Key, entry.Value ?? [], entry.ModifyIndex), entry.Session));
                }
            }

            entries.Sort((a, b) => KvKeys.Comparer.Compare(a.Pair.Key, b.Pair.Key));
        }
        else if (response.Status != HttpStatusCode.NotFound)
        {
            throw Unexpected(response, scope.Key);
        }

        return (entries, response.Index);
    }

    /// <summary>
    /// Writes a key after <paramref name="checks"/> in one transaction, creating a session for a TTL and keeping it alive
    /// when asked. Returns the written pair, or null (with the errors in <paramref name="failures"/>) when a check failed.
    /// </summary>
    private async Task<KvPair?> WriteAsync(
        string key, ReadOnlyMemory<byte> value, KvWriteOptions options, ConsulTxnOperation[] checks, CancellationToken cancellationToken, List<ConsulTxnError>? failures = null)
    {
        string? session = null;
        if (options.Ttl is { } ttl)
        {
            session = await Sessions.CreateAsync(ttl, key, cancellationToken).ConfigureAwait(false);
        }

        KvPair? pair = null;
        try
        {
            var (applied, response) = await TransactAsync([.. checks, .. _ops.Write(key, value, session)], key, cancellationToken).ConfigureAwait(false);
            if (!applied)
            {
                failures?.AddRange(response.Errors ?? []);
                return null;
            }

            var written = (response.Results is { Count: > 0 } results ? results[^1].Kv : null)
                ?? throw new KvException(ConsulTransport.Backend, _transport.CurrentEndpoint, key, "the transaction answer carried no entry; is this a Consul agent?");
            pair = new KvPair(key, value.ToArray(), written.ModifyIndex);
        }
        finally
        {
            if (pair is null && session is not null)
            {
                await Sessions.DestroyQuietlyAsync(session, key).ConfigureAwait(false);
            }
        }

        if (session is not null && options.KeepAlive)
        {
            KeepAlive(pair, session, Sessions.EffectiveTtl(options.Ttl!.Value, key));
        }

        return pair;
    }

    private async Task<int> DeleteSubtreeAsync(string prefix, CancellationToken cancellationToken)
    {
        // get-tree on the bare prefix also returns siblings such as "prefixhouse"; only the prefix and its descendants
        // are counted, and only they are deleted.
        var (_, response) = await TransactAsync(
            [_ops.GetTree(prefix), _ops.DeleteTree(prefix + KvKeys.Separator), _ops.Delete(prefix)], prefix, cancellationToken).ConfigureAwait(false);
        return response.Results?.Count(r => r.Kv?.Key is { } key && (key == prefix || KvKeys.IsDescendant(key, prefix)) && ConsulKeys.IsVisible(key)) ?? 0;
    }

    /// <summary>Sends a transaction: (true, results) when applied, (false, errors) when Consul rolled it back.</summary>
    internal async Task<(bool Applied, ConsulTxnResponse Response)> TransactAsync(IReadOnlyList<ConsulTxnOperation> operations, string? key, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes([.. operations], ConsulJsonContext.Default.ListConsulTxnOperation);
        var response = await _transport.SendAsync(HttpMethod.Put, "v1/txn", body, key, _options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        if (response.Status is not (HttpStatusCode.OK or HttpStatusCode.Conflict))
        {
            throw Unexpected(response, key);
        }

        var answer = JsonSerializer.Deserialize(response.Body, ConsulJsonContext.Default.ConsulTxnResponse) ?? new ConsulTxnResponse();
        // ACL denials come back as rolled-back operations rather than as 403s.
        if (answer.Errors?.Find(e => e.What is { } what && (what.Contains("Permission denied", StringComparison.OrdinalIgnoreCase)
                || what.Contains("ACL not found", StringComparison.OrdinalIgnoreCase))) is { } denied)
        {
            throw new KvAuthenticationException(
                ConsulTransport.Backend, response.Endpoint, key,
                $"the ACL token was rejected ({denied.What}); set a valid token with the rights listed in docs/backends/consul.md (key_prefix read/write, session write).");
        }

        return (response.IsSuccess, answer);
    }

    private static string? FirstKey(KvTransaction transaction) =>
        transaction.Operations.Count > 0 ? transaction.Operations[0].Key : null;

    private static List<ConsulKvEntry> Parse(ConsulResponse response, string key)
    {
        try
        {
            return JsonSerializer.Deserialize(response.Body, ConsulJsonContext.Default.ListConsulKvEntry) ?? [];
        }
        catch (JsonException e)
        {
            throw new KvException(ConsulTransport.Backend, response.Endpoint, key, "the agent's answer is not Consul KV JSON; is the endpoint a Consul agent?", e);
        }
    }

    private static KvException Unexpected(ConsulResponse response, string? key) =>
        new(ConsulTransport.Backend, response.Endpoint, key, $"unexpected answer {(int)response.Status} from the agent.");

    // The index of the first failed operation; an error that is not a check failure is thrown.
    private int FirstFailure(List<ConsulTxnError>? errors, string key) =>
        errors is { Count: > 0 }
            ? errors.Min(e => e.OpIndex)
            : throw new KvException(ConsulTransport.Backend, _transport.CurrentEndpoint, key, "the transaction was rolled back without a reason; retry.");

    private void KeepAlive(KvPair pair, string session, TimeSpan ttl) =>
        KeepAlive(
            ttl,
            async ct => await Sessions.RenewAsync(session, pair.Key, ct).ConfigureAwait(false)
                && await HoldsAsync(pair.Key, session, pair.LastIndex, ct).ConfigureAwait(false),
            // Overwritten or deleted: the session holds nothing.
            () => Sessions.DestroyQuietlyAsync(session, pair.Key));

    /// <summary>Whether the key still holds the write made at <paramref name="index"/> under <paramref name="session"/>.</summary>
    internal async Task<bool> HoldsAsync(string key, string session, ulong index, CancellationToken cancellationToken)
    {
        var (entries, _) = await ReadAsync(KvScope.ForKey(key), KvReadOptions.Default, 0, cancellationToken).ConfigureAwait(false);
        return entries.Count > 0 && entries[0].Session == session && entries[0].Pair.LastIndex == index;
    }
}

/// <summary>A pair read from Consul with the session holding it, if any.</summary>
/// <param name="Pair">The pair.</param>
/// <param name="Session">The session that holds the key, or null.</param>
internal sealed record ConsulEntry(KvPair Pair, string? Session);
