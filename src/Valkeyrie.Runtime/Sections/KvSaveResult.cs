namespace Valkeyrie.Sections;

/// <summary>The outcome of saving a section.</summary>
public enum KvSaveResult
{
    /// <summary>The whole section was written in one transaction.</summary>
    Saved,

    /// <summary>
    /// Someone else changed the section since it was loaded (or since it was last saved): nothing was written.
    /// Load the section again, reapply the change and save again.
    /// </summary>
    Conflict,
}
