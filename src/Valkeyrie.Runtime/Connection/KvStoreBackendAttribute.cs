namespace Valkeyrie;

/// <summary>
/// Marks an assembly as a Valkeyrie backend and names its registration type: a static class with a public static
/// parameterless <c>Register()</c> method that calls <see cref="KvStoreFactory.Register"/>. The Valkeyrie generator
/// finds this attribute on every referenced assembly and calls that method from the app's own module initializer, so
/// the trimmer keeps the backend and a connection string finds it under Native AOT too.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class KvStoreBackendAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="registrationType">The static class whose <c>Register()</c> method registers the backend's schemes.</param>
    public KvStoreBackendAttribute(Type registrationType)
    {
        RegistrationType = registrationType;
    }

    /// <summary>The static class whose <c>Register()</c> method registers the backend's schemes.</summary>
    public Type RegistrationType { get; }
}
