using Valkeyrie.ZooKeeper.Protocol;

namespace Valkeyrie.ZooKeeper;

public sealed partial class ZooKeeperKvStore
{
    // Requests pipelined at once while walking a tree: enough to hide round trips, bounded to spare memory.
    private const int ReadBatch = 256;

    private async Task<KvPair?> ReadKeyAsync(string key, CancellationToken cancellationToken)
    {
        var node = await _client.GetDataAsync(ZooKeeperPaths.ToPath(key), cancellationToken).ConfigureAwait(false);
        return node is { } found && ZooKeeperValueCodec.IsKey(found.Data)
            ? new KvPair(key, ZooKeeperValueCodec.Decode(found.Data), (ulong)found.Stat.Mzxid)
            : null;
    }

    /// <summary>Every key strictly under <paramref name="rootPath"/>, sorted (implicit parents and internal nodes left out).</summary>
    private async Task<List<KvPair>> ReadTreeAsync(string rootPath, CancellationToken cancellationToken)
    {
        var nodes = await WalkTreeAsync(rootPath, cancellationToken).ConfigureAwait(false);
        var pairs = nodes
            .Where(n => ZooKeeperValueCodec.IsKey(n.Data))
            .Select(n => new KvPair(ZooKeeperPaths.ToKey(n.Path), ZooKeeperValueCodec.Decode(n.Data), (ulong)n.Stat.Mzxid))
            .ToList();
        pairs.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return pairs;
    }

    /// <summary>
    /// Reads every node strictly under <paramref name="rootPath"/>, level by level, pipelining the requests of a level.
    /// Nodes deleted while walking are skipped.
    /// </summary>
    private async Task<List<TreeNode>> WalkTreeAsync(string rootPath, CancellationToken cancellationToken)
    {
        var found = new List<TreeNode>();
        List<string> parents = [rootPath];
        while (parents.Count > 0)
        {
            var children = new List<string>();
            foreach (var batch in parents.Chunk(ReadBatch))
            {
                var listings = await Task.WhenAll(batch.Select(p => _client.GetChildrenAsync(p, cancellationToken))).ConfigureAwait(false);
                for (var i = 0; i < batch.Length; i++)
                {
                    if (listings[i] is { } listing)
                    {
                        children.AddRange(listing.Children.Select(name => ZooKeeperPaths.Child(batch[i], name)).Where(ZooKeeperPaths.IsKeyPath));
                    }
                }
            }

            var next = new List<string>();
            foreach (var batch in children.Chunk(ReadBatch))
            {
                var reads = await Task.WhenAll(batch.Select(p => _client.GetDataAsync(p, cancellationToken))).ConfigureAwait(false);
                for (var i = 0; i < batch.Length; i++)
                {
                    if (reads[i] is { } node)
                    {
                        found.Add(new TreeNode(batch[i], node.Data, node.Stat));
                        if (node.Stat.NumChildren > 0)
                        {
                            next.Add(batch[i]);
                        }
                    }
                }
            }

            parents = next;
        }

        return found;
    }

    private sealed record TreeNode(string Path, byte[] Data, ZkStat Stat)
    {
        public int Depth => Path.Count(c => c == '/');
    }
}
