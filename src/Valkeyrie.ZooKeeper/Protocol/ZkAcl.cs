namespace Valkeyrie.ZooKeeper.Protocol;

/// <summary>ZooKeeper's permission bits.</summary>
[Flags]
internal enum ZkPermissions
{
    None = 0,
    Read = 1,
    Write = 2,
    Create = 4,
    Delete = 8,
    Admin = 16,
    All = Read | Write | Create | Delete | Admin,
}

/// <summary>One ACL entry: permissions granted to an identity (<c>scheme:id</c>).</summary>
internal sealed record ZkAcl(ZkPermissions Permissions, string Scheme, string Id)
{
    /// <summary>Everyone may do everything (ZooKeeper's OPEN_ACL_UNSAFE).</summary>
    public static IReadOnlyList<ZkAcl> Open { get; } = [new(ZkPermissions.All, "world", "anyone")];

    /// <summary>Only the authenticated creator may do anything (CREATOR_ALL_ACL); needs an auth on the session.</summary>
    public static IReadOnlyList<ZkAcl> CreatorAll { get; } = [new(ZkPermissions.All, "auth", string.Empty)];

    /// <summary>The creator may do everything, everyone may read.</summary>
    public static IReadOnlyList<ZkAcl> CreatorAllWorldRead { get; } =
        [new(ZkPermissions.All, "auth", string.Empty), new(ZkPermissions.Read, "world", "anyone")];
}
