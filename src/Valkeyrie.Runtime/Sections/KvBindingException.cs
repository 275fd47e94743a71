namespace Valkeyrie.Sections;

/// <summary>
/// A section could not be created from configuration or store pairs: a value has the wrong format, or a required
/// value is missing. The message names the key, the expected type and format, but never the value (it may be a secret).
/// </summary>
public class KvBindingException : KvException
{
    /// <summary>Creates an exception.</summary>
    public KvBindingException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public KvBindingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public KvBindingException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception about one value.</summary>
    /// <param name="path">The configuration path or store key of the value.</param>
    /// <param name="targetType">The name of the type the value should convert to.</param>
    /// <param name="expectedFormat">The accepted format, or <see langword="null"/> when the value is missing.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public KvBindingException(string path, string targetType, string? expectedFormat, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Path = path;
        TargetType = targetType;
        ExpectedFormat = expectedFormat;
    }

    /// <summary>The configuration path or store key of the offending value.</summary>
    public string? Path { get; }

    /// <summary>The name of the type the value should convert to.</summary>
    public string? TargetType { get; }

    /// <summary>The format the value must have.</summary>
    public string? ExpectedFormat { get; }

    /// <summary>Creates the exception for a value that cannot be converted.</summary>
    /// <param name="path">The configuration path or store key.</param>
    /// <param name="targetType">The expected type's name.</param>
    /// <param name="expectedFormat">The accepted format.</param>
    /// <param name="innerException">The parser's exception, if any.</param>
    public static KvBindingException InvalidValue(string path, string targetType, string expectedFormat, Exception? innerException = null) =>
        new(path, targetType, expectedFormat,
            $"The value at '{path}' is not a valid {targetType}: expected {expectedFormat}. (The value is not shown because it may be a secret.)",
            innerException);

    /// <summary>
    /// Creates the exception for JSON that cannot be read. Only the position is kept: the parser's own message quotes
    /// the offending character, which could belong to a secret, so the parser's exception is not attached.
    /// </summary>
    /// <param name="path">The configuration path or store key.</param>
    /// <param name="targetType">The expected type's name.</param>
    /// <param name="expectedFormat">The accepted format.</param>
    /// <param name="error">The parser's exception, for its position.</param>
    public static KvBindingException InvalidJson(string path, string targetType, string expectedFormat, System.Text.Json.JsonException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var position = error.LineNumber is { } line && error.BytePositionInLine is { } column
            ? $" (not readable at line {line + 1}, byte {column + 1})"
            : " (not readable)";
        return InvalidValue(path, targetType, expectedFormat + position);
    }

    /// <summary>Creates the exception for a required value (constructor parameter or required member) that is missing.</summary>
    /// <param name="path">The configuration path or store key.</param>
    /// <param name="targetType">The type of the missing value.</param>
    /// <param name="owner">The type that needs the value.</param>
    /// <param name="member">The parameter or member name.</param>
    public static KvBindingException Missing(string path, string targetType, string owner, string member) =>
        new(path, targetType, null,
            $"Cannot create {owner}: '{path}' is missing, but '{member}' ({targetType}) is required (a constructor parameter without a default value, or a required member).");
}
