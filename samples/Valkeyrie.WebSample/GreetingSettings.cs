using Valkeyrie.Sections;

namespace Valkeyrie.WebSample;

/// <summary>The typed section the app serves: store keys sample/greeting/message and sample/greeting/revision.</summary>
[KvSection("sample/greeting")]
public sealed partial class GreetingSettings
{
    /// <summary>The greeting.</summary>
    public string Message { get; set; } = "hello from the defaults";

    /// <summary>Bumped by whoever edits the greeting.</summary>
    public int Revision { get; set; }
}
