namespace Valkeyrie.Testing.Servers;

/// <summary>Settings for <see cref="EtcdServer"/>.</summary>
public sealed class EtcdServerOptions : ServerOptions
{
    /// <summary>
    /// When set, <see cref="EtcdServer.StartNewAsync"/> creates the <c>root</c> user with this password
    /// and enables authentication (see <see cref="EtcdServer.EnableAuthAsync"/>).
    /// </summary>
    public string? RootPassword { get; set; }

    /// <summary>Extra etcd command-line arguments, e.g. <c>--experimental-watch-progress-notify-interval=1s</c>.</summary>
    public IList<string> ExtraArguments { get; } = [];
}
