namespace Valkeyrie.Testing.Servers;

/// <summary>Settings for <see cref="MotoServer"/>: the timeouts every launcher has (moto takes no settings of its own here).</summary>
public sealed class MotoServerOptions : ServerOptions
{
}
