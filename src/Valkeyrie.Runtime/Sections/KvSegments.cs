namespace Valkeyrie.Sections;

/// <summary>The rules for one key segment produced from a member name or a dictionary key.</summary>
internal static class KvSegments
{
    // ':' is reserved too: store keys map to configuration paths by replacing '/' with ':'.
    public static bool IsValid(string segment, out string rule)
    {
        if (segment.Length == 0)
        {
            rule = "a segment cannot be empty";
            return false;
        }

        if (segment is "." or "..")
        {
            rule = "a segment cannot be '.' or '..'";
            return false;
        }

        foreach (var c in segment)
        {
            if (c is '/' or ':')
            {
                rule = "a segment cannot contain '/' or ':'";
                return false;
            }

            if (char.IsControl(c))
            {
                rule = "a segment cannot contain control characters";
                return false;
            }
        }

        rule = string.Empty;
        return true;
    }
}
