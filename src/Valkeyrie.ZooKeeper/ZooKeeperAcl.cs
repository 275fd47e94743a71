namespace Valkeyrie.ZooKeeper;

/// <summary>The ACL given to the nodes the store creates.</summary>
public enum ZooKeeperAcl
{
    /// <summary>Everyone may read and write (ZooKeeper's <c>OPEN_ACL_UNSAFE</c>); the default.</summary>
    Open,

    /// <summary>Only the authenticated creator may read or write (<c>CREATOR_ALL_ACL</c>); needs <see cref="ZooKeeperKvStoreOptions.Digest"/>.</summary>
    Creator,

    /// <summary>The authenticated creator may write, everyone may read; needs <see cref="ZooKeeperKvStoreOptions.Digest"/>.</summary>
    CreatorWorldRead,
}
