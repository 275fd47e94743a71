using System.Globalization;

namespace Valkeyrie.Cli;

/// <summary>Counted nouns for messages ("1 key", "3 keys").</summary>
internal static class Counts
{
    public static string Keys(int count) => string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? "key" : "keys")}");
}
