namespace Valkeyrie.Testing.Servers;

/// <summary>Settings for <see cref="DynaliteServer"/>.</summary>
public sealed class DynaliteServerOptions : ServerOptions
{
    /// <summary>
    /// How long tables stay CREATING, UPDATING or DELETING; null keeps dynalite's default (half a second),
    /// which exercises the same waiting a real DynamoDB needs.
    /// </summary>
    public TimeSpan? TableStatusDelay { get; set; }

    /// <summary>Extra dynalite command-line arguments, e.g. <c>--maxItemSizeKb=100</c>.</summary>
    public IList<string> ExtraArguments { get; } = [];
}
