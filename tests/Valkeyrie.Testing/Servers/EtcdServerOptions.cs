namespace Valkeyrie.Testing.Servers;

/// <summary>Settings for <see cref="EtcdServer"/>.</summary>
public sealed class EtcdServerOptions : ServerOptions
{
    /// <summary>
    /// When set, <see cref="EtcdServer.StartNewAsync"/> creates the <c>root</c> user with this password
    /// and enables authentication (see <see cref="EtcdServer.EnableAuthAsync"/>).
    /// </summary>
    public string? RootPassword { get; set; }

    /// <summary>The member's name (<c>--name</c>); distinct per member of a cluster.</summary>
    public string MemberName { get; set; } = "valkeyrie";

    /// <summary>
    /// Every member as <c>name=peerUrl,…</c> (<c>--initial-cluster</c>) when this server is one member of a cluster; null for
    /// a single-member cluster. Read at each start, so a cluster launcher may set it after creating all members.
    /// </summary>
    public string? InitialCluster { get; set; }

    /// <summary>Extra etcd command-line arguments, e.g. <c>--experimental-watch-progress-notify-interval=1s</c>.</summary>
    public IList<string> ExtraArguments { get; } = [];
}
