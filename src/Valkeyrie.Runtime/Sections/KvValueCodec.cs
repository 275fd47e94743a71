using System.ComponentModel;
using System.Globalization;

namespace Valkeyrie.Sections;

/// <summary>
/// Formats and parses every scalar a section supports as invariant-culture text: what is stored in the key/value
/// store and what configuration providers hand out. Parse errors are <see cref="KvBindingException"/>s that name the
/// key, the type and the expected format, never the value. Called by generated section code; hidden from IntelliSense
/// like its generated-code siblings.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class KvValueCodec
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Formats a <see cref="bool"/> as invariant text.</summary>
    /// <param name="value">The value.</param>
    public static string Format(bool value)
    {
        return value ? "true" : "false";
    }

    /// <summary>Parses a <see cref="bool"/> from invariant text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="path">The key or configuration path, for the error message.</param>
    /// <exception cref="KvBindingException">The text is not true or false.</exception>
    public static bool ParseBoolean(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        return bool.TryParse(text, out var value) ? value : throw KvBindingException.InvalidValue(path, "Boolean", "true or false");
    }

    /// <summary>Formats a <see cref="byte"/> as invariant text.</summary>
    /// <param name="value">The value.</param>
    public static string Format(byte value)
    {
        return value.ToString(Inv);
    }

    /// <summary>Parses a <see cref="byte"/> from invariant text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="path">The key or configuration path, for the error message.</param>
    /// <exception cref="KvBindingException">The text is not an integer from 0 to 255.</exception>
    public static byte ParseByte(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        return byte.TryParse(text, NumberStyles.Integer, Inv, out var value) ? value : throw KvBindingException.InvalidValue(path, "Byte", "an integer from 0 to 255");
    }

    /// <summary>Formats a <see cref="sbyte"/> as invariant text.</summary>
    /// <param name="value">The value.</param>
    public static string Format(sbyte value)
    {
        return value.ToString(Inv);
    }

    /// <summary>Parses a <see cref="sbyte"/> from invariant text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="path">The key or configuration path, for the error message.</param>
    /// <exception cref="KvBindingException">The text is not an integer from -128 to 127.</exception>
    public static sbyte ParseSByte(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        return sbyte.TryParse(text, NumberStyles.Integer, Inv, out var value) ? value : throw KvBindingException.InvalidValue(path, "SByte", "an integer from -128 to 127");
    }

    /// <summary>Formats a <see cref="short"/> as invariant text.</summary>
    /// <param name="value">The value.</param>
    public static string Format(short value)
    {
        return value.ToString(Inv);
    }

    /// <summary>Parses a <see cref="short"/> from invariant text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="path">The key or configuration path, for the error message.</param>
    /// <exception cref="KvBindingException">The text is not an integer from -32768 to 32767.</exception>
    public static short ParseInt16(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        return short.TryParse(text, NumberStyles.Integer, Inv, out var value) ? value : throw KvBindingException.InvalidValue(path, "Int16", "an integer from -32768 to 32767");
    }

    /// <summary>Formats a <see cref="ushort"/> as invariant text.</summary>
    /// <param name="value">The value.</param>
    public static string Format(ushort value)
    {
        return value.ToString(Inv);
    }

    /// <summary>Parses a <see cref="ushort"/> from invariant text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="path">The key or configuration path, for the error message.</param>
    /// <exception cref="KvBindingException">The text is not an integer from 0 to 65535.</exception>
    public static ushort ParseUInt16(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ushort.TryParse(text, NumberStyles.Integer, Inv, out var value) ? value : throw KvBindingException.InvalidValue(path, "UInt16", "an integer from 0 to 65535");
    }

    /// <summary>Formats a <see cref="int"/> as invariant text.</summary>
    /// <param name="value">The value.</param>
    public static string Format(int value)
    {
        return value.ToString(Inv);
    }

    /// <summary>Parses a <see cref="int"/> from invariant text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="path">The key or configuration path, for the error message.</param>
    /// <exception cref="KvBindingException">The text is not an integer from -2147483648 to 2147483647.</exception>
    public static int ParseInt32(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        return int.TryParse(text, NumberStyles.Integer, Inv, out var value) ? value : throw KvBindingException.InvalidValue(path, "Int32", "an integer from -2147483648 to 2147483647, for example 5432");
    }

    /// <summary>Formats a <see cref="uint"/> as invariant text.</summary>
    /// <param name="value">The value.</param>
    public static string Format(uint value)
    {
        return value.ToString(Inv);
    }

    /// <summary>Parses a <see cref="uint"/> from invariant text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="path">The key or configuration path, for the error message.</param>
    /// <exception cref="KvBindingException">The text is not an integer from 0 to 4294967295.</exception>
    public static uint ParseUInt32(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        return uint.TryParse(text, NumberStyles.Integer, Inv, out var value) ? value : throw KvBindingException.InvalidValue(path, "UInt32", "an integer from 0 to 4294967295");
    }

    /// <summary>Formats a <see cref="long"/> as invariant text.</summary>
    /// <param name="value">The value.</param>
    public static string Format(long value)
    {
        return value.ToString(Inv);
    }

    /// <summary>Parses a <see cref="long"/> from invariant text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="path">The key or configuration path, for the error message.</param>
    /// <exception cref="KvBindingException">The text is not an integer from -9223372036854775808 to 9223372036854775807.</exception>
    public static long ParseInt64(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        return long.TryParse(text, NumberStyles.Integer, Inv, out var value) ? value : throw KvBindingException.InvalidValue(path, "Int64", "an integer from -9223372036854775808 to 9223372036854775807");
    }

    /// <summary>Formats a <see cref="ulong"/> as invariant text.</summary>
    /// <param name="value">The value.</param>
    public static string Format(ulong value)
    {
        return value.ToString(Inv);
    }

    /// <summary>Parses a <see cref="ulong"/> from invariant text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="path">The key or configuration path, for the error message.</param>
    /// <exception cref="KvBindingException">The text is not an integer from 0 to 18446744073709551615.</exception>
    public static ulong ParseUInt64(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ulong.TryParse(text, NumberStyles.Integer, Inv, out var value) ? value : throw KvBindingException.InvalidValue(path, "UInt64", "an integer from 0 to 18446744073709551615");
    }

    /// <summary>Formats a <see cref="nint"/> as invariant text.</summary>
    /// <param name="value">The value.</param>
    public static string Format(nint value)
    {
        return value.ToString(Inv);
    }

    /// <summary>Parses a <see cref="nint"/> from invariant text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="path">The key or configuration path, for the error message.</param>
    /// <exception cref="KvBindingException">The text is not a native-sized integer.</exception>
    public static nint ParseIntPtr(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        return nint.TryParse(text, NumberStyles.Integer, Inv, out var value) ? value : throw KvBindingException.InvalidValue(path, "IntPtr", "a native-sized integer");
    }

    /// <summary>Formats a <see cref="nuint"/> as invariant text.</summary>
    /// <param name="value">The value.</param>
    public static string Format(nuint value)
    {
        return value.ToString(Inv);
    }

    /// <summary>Parses a <see cref="nuint"/> from invariant text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="path">The key or configuration path, for the error message.</param>
    /// <exception cref="KvBindingException">The text is not a native-sized unsigned integer.</exception>
    public static nuint ParseUIntPtr(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        return nuint.TryParse(text, NumberStyles.Integer, Inv, out var value) ? value : throw KvBindingException.InvalidValue(path, "UIntPtr", "a native-sized unsigned integer");
    }

    /// <summary>Formats a <see cref="Int128"/> as invariant text.</summary>
    /// <param name="value">The value.</param>
    public static string Format(Int128 value)
    {
        return value.ToString(Inv);
    }

    /// <summary>Parses a <see cref="Int128"/> from invariant text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="path">The key or configuration path, for the error message.</param>
    /// <exception cref="KvBindingException">The text is not a 128-bit integer.</exception>
    public static Int128 ParseInt128(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Int128.TryParse(text, NumberStyles.Integer, Inv, out var value) ? value : throw KvBindingException.InvalidValue(path, "Int128", "a 128-bit integer");
    }

    /// <summary>Formats a <see cref="UInt128"/> as invariant text.</summary>
    /// <param name="value">The value.</param>
    public static string Format(UInt128 value)
    {
        return value.ToString(Inv);
    }

    /// <summary>Parses a <see cref="UInt128"/> from invariant text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="path">The key or configuration path, for the error message.</param>
    /// <exception cref="KvBindingException">The text is not an unsigned 128-bit integer.</exception>
    public static UInt128 ParseUInt128(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        return UInt128.TryParse(text, NumberStyles.Integer, Inv, out var value) ? value : throw KvBindingException.InvalidValue(path, "UInt128", "an unsigned 128-bit integer");
    }

    /// <summary>Formats a <see cref="Half"/> as invariant text.</summary>
    /// <param name="value">The value.</param>
    public static string Format(Half value)
    {
        return value.ToString(Inv);
    }

    /// <summary>Parses a <see cref="Half"/> from invariant text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="path">The key or configuration path, for the error message.</param>
    /// <exception cref="KvBindingException">The text is not a number with '.' as the decimal separator and no group separators.</exception>
    public static Half ParseHalf(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Half.TryParse(text, NumberStyles.Float, Inv, out var value) ? value : throw KvBindingException.InvalidValue(path, "Half", "a number with '.' as the decimal separator and no group separators, for example 1.5");
    }

    /// <summary>Formats a <see cref="float"/> as invariant text.</summary>
    /// <param name="value">The value.</param>
    public static string Format(float value)
    {
        return value.ToString(Inv);
    }

    /// <summary>Parses a <see cref="float"/> from invariant text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="path">The key or configuration path, for the error message.</param>
    /// <exception cref="KvBindingException">The text is not a number with '.' as the decimal separator and no group separators.</exception>
    public static float ParseSingle(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        return float.TryParse(text, NumberStyles.Float, Inv, out var value) ? value : throw KvBindingException.InvalidValue(path, "Single", "a number with '.' as the decimal separator and no group separators, for example 1.5 or 1E-3");
    }

    /// <summary>Formats a <see cref="double"/> as invariant text.</summary>
    /// <param name="value">The value.</param>
    public static string Format(double value)
    {
        return value.ToString(Inv);
    }

    /// <summary>Parses a <see cref="double"/> from invariant text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="path">The key or configuration path, for the error message.</param>
    /// <exception cref="KvBindingException">The text is not a number with '.' as the decimal separator and no group separators.</exception>
    public static double ParseDouble(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        return double.TryParse(text, NumberStyles.Float, Inv, out var value) ? value : throw KvBindingException.InvalidValue(path, "Double", "a number with '.' as the decimal separator and no group separators, for example 1.5 or 1E-3");
    }

    /// <summary>Formats a <see cref="decimal"/> as invariant text.</summary>
    /// <param name="value">The value.</param>
    public static string Format(decimal value)
    {
        return value.ToString(Inv);
    }

    /// <summary>Parses a <see cref="decimal"/> from invariant text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="path">The key or configuration path, for the error message.</param>
    /// <exception cref="KvBindingException">The text is not a decimal number with '.' as the decimal separator and no group separators.</exception>
    public static decimal ParseDecimal(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        return decimal.TryParse(text, NumberStyles.Float, Inv, out var value) ? value : throw KvBindingException.InvalidValue(path, "Decimal", "a decimal number with '.' as the decimal separator and no group separators, for example 19.95");
    }

    /// <summary>Formats a <see cref="char"/> as invariant text.</summary>
    /// <param name="value">The value.</param>
    public static string Format(char value)
    {
        return value.ToString();
    }

    /// <summary>Parses a <see cref="char"/> from invariant text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="path">The key or configuration path, for the error message.</param>
    /// <exception cref="KvBindingException">The text is not exactly one character, ignoring surrounding white space.</exception>
    public static char ParseChar(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Like ConfigurationBinder, surrounding white space is ignored unless the character itself is white space.
        var trimmed = text.Length > 1 ? text.Trim() : text;
        return trimmed.Length == 1 ? trimmed[0] : throw KvBindingException.InvalidValue(path, "Char", "exactly one character (surrounding white space is ignored)");
    }

    /// <summary>Formats a <see cref="Guid"/> as invariant text.</summary>
    /// <param name="value">The value.</param>
    public static string Format(Guid value)
    {
        return value.ToString("D", Inv);
    }

    /// <summary>Parses a <see cref="Guid"/> from invariant text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="path">The key or configuration path, for the error message.</param>
    /// <exception cref="KvBindingException">The text is not a GUID such as 0f8fad5b-d9cb-469f-a165-70867728950e.</exception>
    public static Guid ParseGuid(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Guid.TryParse(text, out var value) ? value : throw KvBindingException.InvalidValue(path, "Guid", "a GUID such as 0f8fad5b-d9cb-469f-a165-70867728950e");
    }

    /// <summary>Formats a <see cref="DateTime"/> as invariant text.</summary>
    /// <param name="value">The value.</param>
    public static string Format(DateTime value)
    {
        return value.ToString("O", Inv);
    }

    /// <summary>Parses a <see cref="DateTime"/> from invariant text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="path">The key or configuration path, for the error message.</param>
    /// <exception cref="KvBindingException">The text is not an ISO 8601 date and time such as 2024-05-01T13:45:00Z.</exception>
    public static DateTime ParseDateTime(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        return DateTime.TryParse(text, Inv, DateTimeStyles.RoundtripKind, out var value) ? value : throw KvBindingException.InvalidValue(path, "DateTime", "an ISO 8601 date and time such as 2024-05-01T13:45:00Z");
    }

    /// <summary>Formats a <see cref="DateTimeOffset"/> as invariant text.</summary>
    /// <param name="value">The value.</param>
    public static string Format(DateTimeOffset value)
    {
        return value.ToString("O", Inv);
    }

    /// <summary>Parses a <see cref="DateTimeOffset"/> from invariant text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="path">The key or configuration path, for the error message.</param>
    /// <exception cref="KvBindingException">The text is not an ISO 8601 date and time with offset such as 2024-05-01T13:45:00+02:00.</exception>
    public static DateTimeOffset ParseDateTimeOffset(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        return DateTimeOffset.TryParse(text, Inv, DateTimeStyles.None, out var value) ? value : throw KvBindingException.InvalidValue(path, "DateTimeOffset", "an ISO 8601 date and time with offset such as 2024-05-01T13:45:00+02:00");
    }

    /// <summary>Formats a <see cref="DateOnly"/> as invariant text.</summary>
    /// <param name="value">The value.</param>
    public static string Format(DateOnly value)
    {
        return value.ToString("yyyy-MM-dd", Inv);
    }

    /// <summary>Parses a <see cref="DateOnly"/> from invariant text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="path">The key or configuration path, for the error message.</param>
    /// <exception cref="KvBindingException">The text is not a date such as 2024-05-01.</exception>
    public static DateOnly ParseDateOnly(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        return DateOnly.TryParse(text, Inv, DateTimeStyles.None, out var value) ? value : throw KvBindingException.InvalidValue(path, "DateOnly", "a date such as 2024-05-01");
    }

    /// <summary>Formats a <see cref="TimeOnly"/> as invariant text.</summary>
    /// <param name="value">The value.</param>
    public static string Format(TimeOnly value)
    {
        return value.ToString("HH:mm:ss.FFFFFFF", Inv);
    }

    /// <summary>Parses a <see cref="TimeOnly"/> from invariant text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="path">The key or configuration path, for the error message.</param>
    /// <exception cref="KvBindingException">The text is not a time of day such as 13:45:00.</exception>
    public static TimeOnly ParseTimeOnly(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TimeOnly.TryParse(text, Inv, DateTimeStyles.None, out var value) ? value : throw KvBindingException.InvalidValue(path, "TimeOnly", "a time of day such as 13:45:00");
    }

    /// <summary>Formats a <see cref="TimeSpan"/> as invariant text.</summary>
    /// <param name="value">The value.</param>
    public static string Format(TimeSpan value)
    {
        return value.ToString("c", Inv);
    }

    /// <summary>Parses a <see cref="TimeSpan"/> from invariant text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="path">The key or configuration path, for the error message.</param>
    /// <exception cref="KvBindingException">The text is not a duration such as 00:00:05 or 1.02:03:04.5 ([d.]hh:mm:ss[.fffffff]).</exception>
    public static TimeSpan ParseTimeSpan(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TimeSpan.TryParse(text, Inv, out var value) ? value : throw KvBindingException.InvalidValue(path, "TimeSpan", "a duration such as 00:00:05 or 1.02:03:04.5 ([d.]hh:mm:ss[.fffffff])");
    }

    /// <summary>Formats a <see cref="Uri"/> as invariant text.</summary>
    /// <param name="value">The value.</param>
    public static string Format(Uri value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.OriginalString;
    }

    /// <summary>Parses a <see cref="Uri"/> from invariant text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="path">The key or configuration path, for the error message.</param>
    /// <exception cref="KvBindingException">The text is not an absolute or relative URI such as https://example.com/.</exception>
    public static Uri ParseUri(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Uri.TryCreate(text, UriKind.RelativeOrAbsolute, out var value) ? value : throw KvBindingException.InvalidValue(path, "Uri", "an absolute or relative URI such as https://example.com/");
    }

    /// <summary>Formats a <see cref="Version"/> as invariant text.</summary>
    /// <param name="value">The value.</param>
    public static string Format(Version value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.ToString();
    }

    /// <summary>Parses a <see cref="Version"/> from invariant text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="path">The key or configuration path, for the error message.</param>
    /// <exception cref="KvBindingException">The text is not a version such as 1.2.3 or 1.2.3.4.</exception>
    public static Version ParseVersion(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Version.TryParse(text, out var value) ? value : throw KvBindingException.InvalidValue(path, "Version", "a version such as 1.2.3 or 1.2.3.4");
    }

    /// <summary>Formats a string (strings are stored as they are).</summary>
    /// <param name="value">The value.</param>
    public static string Format(string value) => value;

    /// <summary>Formats bytes as base64.</summary>
    /// <param name="value">The bytes.</param>
    public static string Format(byte[] value) => Convert.ToBase64String(value);

    /// <summary>Parses base64 text into bytes.</summary>
    /// <param name="text">The text.</param>
    /// <param name="path">The key or configuration path, for the error message.</param>
    /// <exception cref="KvBindingException">The text is not base64.</exception>
    public static byte[] ParseBytes(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(text, buffer, out var written)
            ? buffer.AsSpan(0, written).ToArray()
            : throw KvBindingException.InvalidValue(path, "Byte[]", "base64 text such as AQID");
    }

    /// <summary>Formats an enum value by name (flags as a comma-separated list of names).</summary>
    /// <typeparam name="TEnum">The enum type.</typeparam>
    /// <param name="value">The value.</param>
    public static string FormatEnum<TEnum>(TEnum value)
        where TEnum : struct, Enum => value.ToString();

    /// <summary>Parses an enum value from its name (case-insensitive) or its number.</summary>
    /// <typeparam name="TEnum">The enum type.</typeparam>
    /// <param name="text">The text.</param>
    /// <param name="path">The key or configuration path, for the error message.</param>
    /// <exception cref="KvBindingException">The text is neither a name nor a number of <typeparamref name="TEnum"/>.</exception>
    public static TEnum ParseEnum<TEnum>(string text, string path)
        where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Enum.TryParse<TEnum>(text, ignoreCase: true, out var value))
        {
            return value;
        }

        throw KvBindingException.InvalidValue(path, typeof(TEnum).Name, "one of " + string.Join(", ", Enum.GetNames<TEnum>()));
    }
}
