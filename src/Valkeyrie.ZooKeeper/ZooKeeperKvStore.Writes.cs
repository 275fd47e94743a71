using Valkeyrie.ZooKeeper.Protocol;

namespace Valkeyrie.ZooKeeper;

public sealed partial class ZooKeeperKvStore
{
    // Deletes per multi in DeleteTree: well inside the 1 MiB request limit even with 512-byte keys (sent twice).
    private const int DeleteBatch = 200;

    /// <summary>
    /// Writes a key (unconditionally, create-only with <paramref name="expectedIndex"/> 0, or compare-and-swap),
    /// together with its change-log entry, in one multi. The node is read first; the multi is guarded by the version
    /// read, so a concurrent write makes it fail and the whole step is retried against the new state.
    /// </summary>
    internal async Task<KvCasResult> WriteKeyAsync(
        string key, ReadOnlyMemory<byte> value, Durability durability, ulong? expectedIndex, bool isLockValue, CancellationToken cancellationToken)
    {
        var path = ZooKeeperPaths.ToPath(key);
        var data = ZooKeeperValueCodec.Encode(value.Span, durability);
        var stored = value.ToArray();
        var log = ChangeLogOp([new ZooKeeperChange(key, stored)]);
        await EnsureLayoutAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var node = NodeState.From(await _client.GetDataAsync(path, cancellationToken).ConfigureAwait(false));
            if (expectedIndex is { } expected)
            {
                if (expected == 0 && node.IsKey)
                {
                    return KvCasResult.Failure(KvCasOutcome.KeyExists);
                }

                if (expected != 0 && !node.IsKey)
                {
                    return KvCasResult.Failure(KvCasOutcome.KeyNotFound);
                }

                if (expected != 0 && (ulong)node.Mzxid != expected)
                {
                    return KvCasResult.Failure(KvCasOutcome.KeyModified);
                }
            }

            List<ZkOp> operations = [log, .. PlanPut(key, path, data, node, durability, isLockValue)];
            try
            {
                var result = await _client.MultiAsync(operations, cancellationToken).ConfigureAwait(false);
                var zxid = result.Results[^1].Stat?.Mzxid ?? result.Zxid;
                if (!isLockValue)
                {
                    RememberKeepAlive(key, durability, stored);
                }

                MaybeTrimChangeLog();
                return KvCasResult.Success(new KvPair(key, stored, (ulong)zxid));
            }
            catch (ZkException e) when (IsRace(e) && attempt < MaxAttempts)
            {
                await RepairAsync(e, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Deletes a key (only when its index matches, if given). A key with children becomes an implicit parent.</summary>
    private async Task<KvCasResult> DeleteKeyAsync(string key, ulong? expectedIndex, CancellationToken cancellationToken)
    {
        var path = ZooKeeperPaths.ToPath(key);
        await EnsureLayoutAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var node = NodeState.From(await _client.GetDataAsync(path, cancellationToken).ConfigureAwait(false));
            if (!node.IsKey)
            {
                return KvCasResult.Failure(KvCasOutcome.KeyNotFound);
            }

            if (expectedIndex is { } expected && (ulong)node.Mzxid != expected)
            {
                return KvCasResult.Failure(KvCasOutcome.KeyModified);
            }

            List<ZkOp> operations = [ChangeLogOp([new ZooKeeperChange(key, null)]), PlanDelete(path, node)];
            try
            {
                await _client.MultiAsync(operations, cancellationToken).ConfigureAwait(false);
                _keptAlive.TryRemove(key, out _);
                MaybeTrimChangeLog();
                if (!node.Exists)
                {
                    await RemoveEmptyParentsAsync(path, cancellationToken).ConfigureAwait(false);
                }

                return KvCasResult.Success(null);
            }
            catch (ZkException e) when (IsRace(e) && attempt < MaxAttempts)
            {
                await RepairAsync(e, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<int> DeleteSubtreeAsync(string prefix, CancellationToken cancellationToken)
    {
        var rootPath = ZooKeeperPaths.ToPath(prefix);
        await EnsureLayoutAsync(cancellationToken).ConfigureAwait(false);
        var deleted = 0;
        for (var attempt = 1; ; attempt++)
        {
            var nodes = await WalkTreeAsync(rootPath, cancellationToken).ConfigureAwait(false);
            if (prefix.Length > 0 && await _client.GetDataAsync(rootPath, cancellationToken).ConfigureAwait(false) is { } self)
            {
                nodes.Add(new TreeNode(rootPath, self.Data, self.Stat));
            }

            // Children before their parents, so every delete finds its node empty.
            nodes.Sort((a, b) => b.Depth.CompareTo(a.Depth));
            try
            {
                foreach (var batch in nodes.Chunk(DeleteBatch))
                {
                    var keys = batch.Where(n => ZooKeeperValueCodec.IsKey(n.Data)).Select(n => ZooKeeperPaths.ToKey(n.Path)).ToList();
                    List<ZkOp> operations = keys.Count > 0 ? [ChangeLogOp([.. keys.Select(k => new ZooKeeperChange(k, null))])] : [];
                    operations.AddRange(batch.Select(n => new ZkOp.Delete(n.Path, -1)));
                    await _client.MultiAsync(operations, cancellationToken).ConfigureAwait(false);
                    deleted += keys.Count;
                    foreach (var key in keys)
                    {
                        _keptAlive.TryRemove(key, out _);
                    }
                }

                MaybeTrimChangeLog();
                if (prefix.Length > 0)
                {
                    await RemoveEmptyParentsAsync(rootPath, cancellationToken).ConfigureAwait(false);
                }

                return deleted;
            }
            catch (ZkException e) when (IsRace(e) && attempt < MaxAttempts)
            {
                // Someone wrote under the tree meanwhile: walk it again and delete what is left.
                await RepairAsync(e, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// A transaction as one multi: the checks become version checks of the nodes read (an absent key is checked by
    /// creating and deleting it, unless the transaction creates it anyway), then the writes in order.
    /// </summary>
    private async Task<bool> CommitOperationsAsync(IReadOnlyList<KvTransactionOperation> operations, CancellationToken cancellationToken)
    {
        await EnsureLayoutAsync(cancellationToken).ConfigureAwait(false);
        var keys = operations.Select(o => o.Key).Distinct(StringComparer.Ordinal).ToList();
        for (var attempt = 1; ; attempt++)
        {
            var reads = await Task.WhenAll(keys.Select(k => _client.GetDataAsync(ZooKeeperPaths.ToPath(k), cancellationToken))).ConfigureAwait(false);
            var state = new Dictionary<string, NodeState>(StringComparer.Ordinal);
            for (var i = 0; i < keys.Count; i++)
            {
                state[keys[i]] = NodeState.From(reads[i]);
            }

            var guards = new List<ZkOp>();
            var absent = new List<string>();
            foreach (var check in operations.Where(o => o.Kind == KvTransactionOperationKind.CheckIndex))
            {
                var node = state[check.Key];
                if (check.Index == 0 ? node.IsKey : !node.IsKey || (ulong)node.Mzxid != check.Index)
                {
                    return false;
                }

                if (node.Exists)
                {
                    guards.Add(new ZkOp.Check(ZooKeeperPaths.ToPath(check.Key), node.Version));
                }
                else
                {
                    absent.Add(check.Key);
                }
            }

            var writes = new List<ZkOp>();
            var changes = new List<ZooKeeperChange>();
            var createdFirst = new HashSet<string>(StringComparer.Ordinal);
            var touched = new HashSet<string>(StringComparer.Ordinal);
            foreach (var operation in operations)
            {
                var path = ZooKeeperPaths.ToPath(operation.Key);
                var node = state[operation.Key];
                var wasAbsent = !node.Exists;
                if (operation.Kind == KvTransactionOperationKind.Put)
                {
                    var value = operation.Value.ToArray();
                    var durability = Durability.For(operation.Options ?? KvWriteOptions.Default);
                    var planned = PlanPut(operation.Key, path, ZooKeeperValueCodec.Encode(value, durability), node, durability, false);
                    writes.AddRange(planned);
                    changes.Add(new ZooKeeperChange(operation.Key, value));
                }
                else if (operation.Kind == KvTransactionOperationKind.Delete && node.IsKey)
                {
                    writes.Add(PlanDelete(path, node));
                    changes.Add(new ZooKeeperChange(operation.Key, null));
                }
                else
                {
                    continue;
                }

                if (touched.Add(operation.Key) && wasAbsent)
                {
                    createdFirst.Add(operation.Key);
                }
            }

            foreach (var key in absent.Where(k => !createdFirst.Contains(k)))
            {
                // ZooKeeper has no "check absent": creating and deleting the node fails the multi if it exists.
                var path = ZooKeeperPaths.ToPath(key);
                guards.Add(new ZkOp.Create(path, ReadOnlyMemory<byte>.Empty, _acl, ZkCreateMode.Persistent));
                guards.Add(new ZkOp.Delete(path, -1));
            }

            List<ZkOp> all = changes.Count > 0 ? [ChangeLogOp(changes)] : [];
            var guardStart = all.Count;
            all.AddRange(guards);
            all.AddRange(writes);
            if (all.Count == 0)
            {
                return true;
            }

            try
            {
                await _client.MultiAsync(all, cancellationToken).ConfigureAwait(false);
                foreach (var change in changes)
                {
                    _keptAlive.TryRemove(change.Key, out _);
                }

                MaybeTrimChangeLog();
                return true;
            }
            catch (ZkException e) when (e.FailedOperation >= guardStart && e.FailedOperation < guardStart + guards.Count && e.Code != ZkErrorCode.NoNode)
            {
                return false; // a checked key changed since it was read
            }
            catch (ZkException e) when (IsRace(e) && attempt < MaxAttempts)
            {
                await RepairAsync(e, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The operations that leave <paramref name="data"/> at <paramref name="path"/> with the wanted durability; updates <paramref name="node"/> to the state after them.</summary>
    private List<ZkOp> PlanPut(string key, string path, byte[] data, NodeState node, Durability durability, bool isLockValue)
    {
        List<ZkOp> operations;
        if (!node.Exists)
        {
            operations = [durability.Create(path, data, _acl)];
            node.Created(durability);
        }
        else if (durability.Matches(node, _client.SessionId) || ((durability.IsPersistent || isLockValue) && node.NumChildren > 0))
        {
            // Same kind (or a node with children, which cannot be re-created and keeps its kind): update in place.
            operations = [new ZkOp.SetData(path, data, node.Version)];
            node.Updated();
        }
        else if (node.NumChildren == 0)
        {
            // Another kind (persistent ↔ TTL ↔ ephemeral): ZooKeeper cannot convert a node, so it is re-created.
            operations = [new ZkOp.Delete(path, node.Version), durability.Create(path, data, _acl)];
            node.Created(durability);
        }
        else
        {
            throw new KvException(ZooKeeperErrors.Backend, _errors.Endpoint, key,
                "the key has children, and ZooKeeper cannot give a node with children a TTL or keep it alive (ephemeral nodes have no children); write the key without TTL or keep-alive.");
        }

        node.IsKey = true;
        return operations;
    }

    private static ZkOp PlanDelete(string path, NodeState node)
    {
        if (node.NumChildren == 0)
        {
            var delete = new ZkOp.Delete(path, node.Version);
            node.Deleted();
            return delete;
        }

        // The node must stay for its children: it becomes an implicit parent (no data).
        var operation = new ZkOp.SetData(path, ReadOnlyMemory<byte>.Empty, node.Version);
        node.Updated();
        node.IsKey = false;
        return operation;
    }

    private ZkOp.Create ChangeLogOp(IReadOnlyList<ZooKeeperChange> changes) =>
        new ZkOp.Create(ZooKeeperPaths.ChangeLogEntryPrefix, ZooKeeperChangeRecord.Encode(changes), _acl, ZkCreateMode.PersistentSequential);

    private static bool IsRace(ZkException error) =>
        error.Code is ZkErrorCode.NodeExists or ZkErrorCode.BadVersion or ZkErrorCode.NoNode or ZkErrorCode.NotEmpty;

    /// <summary>After a lost race: a missing node means missing parents (or a removed internal layout) to create again.</summary>
    private async Task RepairAsync(ZkException error, CancellationToken cancellationToken)
    {
        if (error.Code != ZkErrorCode.NoNode || error.Path is not { } path)
        {
            return;
        }

        if (!ZooKeeperPaths.IsKeyPath(path))
        {
            lock (_layoutGate)
            {
                _layout = null;
            }

            await EnsureLayoutAsync(cancellationToken).ConfigureAwait(false);
        }

        await CreateParentsAsync(path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates the missing ancestors of <paramref name="path"/> as implicit parents (no data), pipelined top-down.</summary>
    internal async Task CreateParentsAsync(string path, CancellationToken cancellationToken)
    {
        var ancestors = new List<string>();
        for (var parent = ZooKeeperPaths.Parent(path); parent is not null && parent != ZooKeeperPaths.Root; parent = ZooKeeperPaths.Parent(parent))
        {
            ancestors.Insert(0, parent);
        }

        var creates = ancestors.Select(p => CreateIfMissingAsync(p, ZkCreateMode.Persistent, cancellationToken)).ToList();
        await Task.WhenAll(creates).ConfigureAwait(false);
    }

    internal async Task CreateIfMissingAsync(string path, ZkCreateMode mode, CancellationToken cancellationToken)
    {
        try
        {
            await _client.CreateAsync(path, ReadOnlyMemory<byte>.Empty, _acl, mode, 0, cancellationToken).ConfigureAwait(false);
        }
        catch (ZkException e) when (e.Code is ZkErrorCode.NodeExists or ZkErrorCode.NoNode)
        {
            // Exists already, or a parent vanished meanwhile: the caller's retry creates it again.
        }
    }

    /// <summary>Removes implicit parents left empty by a delete, bottom-up, stopping at the first that is a key or not empty.</summary>
    private async Task RemoveEmptyParentsAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            for (var parent = ZooKeeperPaths.Parent(path); parent is not null && ZooKeeperPaths.IsKeyPath(parent); parent = ZooKeeperPaths.Parent(parent))
            {
                var node = await _client.GetDataAsync(parent, cancellationToken).ConfigureAwait(false);
                if (node is { } found)
                {
                    if (ZooKeeperValueCodec.IsKey(found.Data) || found.Stat.NumChildren > 0)
                    {
                        return;
                    }

                    await _client.DeleteAsync(parent, found.Stat.Version, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (ZkException)
        {
            // Tidying only: a parent someone is writing under right now simply stays.
        }
    }

    /// <summary>Creates the chroot and the internal nodes once per store (again after they were found missing).</summary>
    private Task EnsureLayoutAsync(CancellationToken cancellationToken)
    {
        Task layout;
        lock (_layoutGate)
        {
            if (_layout is null || _layout.IsFaulted || _layout.IsCanceled)
            {
                _layout = CreateLayoutAsync();
            }

            layout = _layout;
        }

        return layout.WaitAsync(cancellationToken);
    }

    private async Task CreateLayoutAsync()
    {
        var token = Disposed;
        if (_client.Options.Chroot.Length > 0)
        {
            await _client.CreateChrootAsync(_acl, token).ConfigureAwait(false);
        }

        await CreateIfExistsOkAsync(ZooKeeperPaths.Internal, token).ConfigureAwait(false);
        await Task.WhenAll(CreateIfExistsOkAsync(ZooKeeperPaths.ChangeLog, token), CreateIfExistsOkAsync(ZooKeeperPaths.Locks, token)).ConfigureAwait(false);
    }

    private async Task CreateIfExistsOkAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await _client.CreateAsync(path, ReadOnlyMemory<byte>.Empty, _acl, ZkCreateMode.Persistent, 0, cancellationToken).ConfigureAwait(false);
        }
        catch (ZkException e) when (e.Code == ZkErrorCode.NodeExists)
        {
            // Created by this or another client before.
        }
    }
}
