namespace Valkeyrie.Testing.Servers;

/// <summary>Settings for <see cref="MotoServer"/>.</summary>
public sealed class MotoServerOptions : ServerOptions
{
    /// <summary>Extra <c>moto_server</c> command-line arguments.</summary>
    public IList<string> ExtraArguments { get; } = [];
}
