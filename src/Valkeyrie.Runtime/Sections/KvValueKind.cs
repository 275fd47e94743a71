namespace Valkeyrie.Sections;

/// <summary>How a scalar's text is represented when the value is written inside JSON.</summary>
public enum KvValueKind
{
    /// <summary>A JSON string.</summary>
    Text,

    /// <summary>A JSON number (falls back to a string for values JSON cannot represent, such as NaN).</summary>
    Number,

    /// <summary>A JSON <c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>Text that already is JSON.</summary>
    Json,
}
