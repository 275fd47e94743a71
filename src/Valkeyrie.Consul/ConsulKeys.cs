using System.Text;

namespace Valkeyrie.Consul;

/// <summary>How canonical keys map to Consul API paths and back.</summary>
internal static class ConsulKeys
{
    /// <summary>The API path of one key: each segment escaped, so <c>?</c>, <c>%</c>, <c>#</c> and spaces stay in the key.</summary>
    public static string KeyPath(string key) => "v1/kv/" + Escape(key);

    /// <summary>The API path listing the strict descendants of a prefix (<c>prefix/</c>, or everything for the root).</summary>
    public static string TreePath(string prefix) =>
        prefix.Length == 0 ? "v1/kv/?recurse" : "v1/kv/" + Escape(prefix) + "/?recurse";

    /// <summary>
    /// Whether a key read from Consul is a canonical user key. Keys written by other tools may not be (folder keys
    /// ending in <c>/</c> made by the Consul UI, empty segments) and the reserved root holds internal records: both are
    /// hidden rather than shown under a name that would collide with another key.
    /// </summary>
    public static bool IsVisible(string key) => KvKeys.IsCanonical(key);

    private static string Escape(string key)
    {
        var builder = new StringBuilder(key.Length + 16);
        foreach (var segment in key.Split(KvKeys.Separator))
        {
            if (builder.Length > 0)
            {
                builder.Append(KvKeys.Separator);
            }

            builder.Append(Uri.EscapeDataString(segment));
        }

        return builder.ToString();
    }
}
