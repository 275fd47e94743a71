namespace Valkeyrie.ZooKeeper.Protocol;

/// <summary>One operation of a <c>multi</c> request (ZooKeeper's transaction).</summary>
internal abstract record ZkOp(string Path)
{
    public abstract ZkOpCode Code { get; }

    public abstract void WriteTo(JuteWriter writer, Func<string, string> fullPath);

    /// <summary>Creates a node; <paramref name="TtlMilliseconds"/> is used by the TTL modes only.</summary>
    public sealed record Create(string Path, ReadOnlyMemory<byte> Data, IReadOnlyList<ZkAcl> Acl, ZkCreateMode Mode, long TtlMilliseconds = 0)
        : ZkOp(Path)
    {
        public override ZkOpCode Code => Mode switch
        {
            ZkCreateMode.PersistentWithTtl or ZkCreateMode.PersistentSequentialWithTtl => ZkOpCode.CreateTtl,
            ZkCreateMode.Container => ZkOpCode.CreateContainer,
            _ => ZkOpCode.Create2,
        };

        public override void WriteTo(JuteWriter writer, Func<string, string> fullPath)
        {
            writer.String(fullPath(Path)).Buffer(Data.Span).Acls(Acl).Int((int)Mode);
            if (Code == ZkOpCode.CreateTtl)
            {
                writer.Long(TtlMilliseconds);
            }
        }
    }

    /// <summary>Deletes a node if its version matches (-1: any version).</summary>
    public sealed record Delete(string Path, int Version) : ZkOp(Path)
    {
        public override ZkOpCode Code => ZkOpCode.Delete;

        public override void WriteTo(JuteWriter writer, Func<string, string> fullPath) => writer.String(fullPath(Path)).Int(Version);
    }

    /// <summary>Replaces a node's data if its version matches (-1: any version).</summary>
    public sealed record SetData(string Path, ReadOnlyMemory<byte> Data, int Version) : ZkOp(Path)
    {
        public override ZkOpCode Code => ZkOpCode.SetData;

        public override void WriteTo(JuteWriter writer, Func<string, string> fullPath) => writer.String(fullPath(Path)).Buffer(Data.Span).Int(Version);
    }

    /// <summary>Fails the transaction unless the node exists with this version.</summary>
    public sealed record Check(string Path, int Version) : ZkOp(Path)
    {
        public override ZkOpCode Code => ZkOpCode.Check;

        public override void WriteTo(JuteWriter writer, Func<string, string> fullPath) => writer.String(fullPath(Path)).Int(Version);
    }
}

/// <summary>The result of one operation of a successful multi: the created path and/or the node's new stat.</summary>
internal sealed record ZkOpResult(ZkOpCode Code, string? Path, ZkStat? Stat);

/// <summary>The results of a successful multi and the zxid of its transaction.</summary>
internal sealed record ZkMultiResult(long Zxid, IReadOnlyList<ZkOpResult> Results);
