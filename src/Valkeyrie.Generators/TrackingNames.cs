namespace Valkeyrie.Generators;

/// <summary>Names of the generator's pipeline steps, for incremental-cache tests.</summary>
internal static class TrackingNames
{
    public const string Models = "KvSection.Models";
    public const string ValidModels = "KvSection.ValidModels";
    public const string BackendRegistrations = "Backends.Registrations";
}
