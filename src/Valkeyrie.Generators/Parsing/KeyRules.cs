using System.Text;

namespace Valkeyrie.Generators.Parsing;

/// <summary>
/// The compile-time mirror of Valkeyrie.KvKeys (the generator cannot reference the runtime), plus the rule that
/// section paths and segments have no ':' because store keys map to configuration paths.
/// </summary>
internal static class KeyRules
{
    private const int MaxKeyBytes = 512;
    private const string ReservedSegment = "_valkeyrie";

    public static bool TryNormalizeSectionPath(string? path, out string canonical, out string error)
    {
        canonical = string.Empty;
        if (path is null)
        {
            error = "it is null";
            return false;
        }

        var start = path.StartsWith("/", System.StringComparison.Ordinal) ? 1 : 0;
        var end = path.Length > start && path.EndsWith("/", System.StringComparison.Ordinal) ? path.Length - 1 : path.Length;
        var trimmed = path.Substring(start, end - start);
        if (trimmed.Length == 0)
        {
            error = "a section path needs at least one segment";
            return false;
        }

        if (Encoding.UTF8.GetByteCount(trimmed) > MaxKeyBytes)
        {
            error = "keys are limited to " + MaxKeyBytes + " UTF-8 bytes";
            return false;
        }

        var segments = trimmed.Split('/');
        foreach (var segment in segments)
        {
            if (!IsValidSegment(segment, out error))
            {
                return false;
            }
        }

        if (segments[0] == ReservedSegment)
        {
            error = "the root segment '" + ReservedSegment + "' is reserved for Valkeyrie's internal records";
            return false;
        }

        canonical = trimmed;
        error = string.Empty;
        return true;
    }

    public static bool IsValidSegment(string segment, out string error)
    {
        if (segment.Length == 0)
        {
            error = "empty segments are not allowed ('//', or more than one leading or trailing '/')";
            return false;
        }

        if (segment is "." or "..")
        {
            error = "'.' and '..' segments are not allowed";
            return false;
        }

        foreach (var c in segment)
        {
            if (c == ':')
            {
                error = "':' is not allowed (it separates configuration path segments)";
                return false;
            }

            if (c == '/')
            {
                error = "a key name is one segment and cannot contain '/'";
                return false;
            }

            if (char.IsControl(c))
            {
                error = "control characters are not allowed";
                return false;
            }
        }

        error = string.Empty;
        return true;
    }
}
