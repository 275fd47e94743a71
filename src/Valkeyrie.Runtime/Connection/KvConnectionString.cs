using System.Globalization;
using System.Net;
using System.Text;

namespace Valkeyrie;

/// <summary>
/// A parsed store connection string: <c>scheme://[user[:password]@]host[:port][,host[:port]…][/path][?name=value&amp;…]</c>,
/// or the opaque form <c>scheme:path[?…]</c> used by file stores (<c>litedb:./config.db</c>).
/// <see cref="ToString"/> hides passwords, tokens and secrets.
/// </summary>
public sealed class KvConnectionString
{
    private static readonly string[] SecretNames = ["password", "token", "secret", "secretkey", "awssecretaccesskey", "sessiontoken", "auth", "digest"];

    // About 3,000 years: well inside TimeSpan (whose exact maximum rounds badly as a double), far beyond any setting.
    private const double MaxDurationMilliseconds = 1e14;

    private readonly Dictionary<string, string> _parameters;

    private KvConnectionString(string scheme, IReadOnlyList<KvEndpoint> endpoints, string? userName, string? password, string path, Dictionary<string, string> parameters, bool isOpaque)
    {
        Scheme = scheme;
        Endpoints = endpoints;
        UserName = userName;
        Password = password;
        Path = path;
        _parameters = parameters;
        IsOpaque = isOpaque;
    }

    /// <summary>The scheme, lower-case (<c>redis</c>, <c>litedb</c>, …).</summary>
    public string Scheme { get; }

    /// <summary>The hosts, in the order given (empty for the opaque form or when none was given).</summary>
    public IReadOnlyList<KvEndpoint> Endpoints { get; }

    /// <summary>The user name from <c>user@host</c>, if any.</summary>
    public string? UserName { get; }

    /// <summary>The password from <c>user:password@host</c>, if any.</summary>
    public string? Password { get; }

    /// <summary>The path: after the hosts (<c>/chroot</c>), or the whole opaque part (<c>./config.db</c>). Empty when absent.</summary>
    public string Path { get; }

    /// <summary>Whether the string used the opaque <c>scheme:path</c> form.</summary>
    public bool IsOpaque { get; }

    /// <summary>The query parameters (names are case-insensitive, values URL-decoded).</summary>
    public IReadOnlyDictionary<string, string> Parameters => _parameters;

    /// <summary>Parses a connection string, or throws <see cref="KvConfigurationException"/> saying what is malformed.</summary>
    /// <param name="connectionString">The connection string.</param>
    public static KvConnectionString Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var text = connectionString.Trim();
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !IsSchemeName(text.AsSpan(0, colon)))
        {
            throw new KvConfigurationException(
                "A store connection string must start with a scheme, for example 'litedb:./config.db', 'redis://127.0.0.1:6379' or 'memory://'.");
        }

        var scheme = text[..colon].ToLowerInvariant();
        var rest = text[(colon + 1)..];
        var query = string.Empty;
        var questionMark = rest.IndexOf('?', StringComparison.Ordinal);
        if (questionMark >= 0)
        {
            query = rest[(questionMark + 1)..];
            rest = rest[..questionMark];
        }

        var parameters = ParseQuery(scheme, query);
        if (!rest.StartsWith("//", StringComparison.Ordinal))
        {
            return new KvConnectionString(scheme, [], null, null, Uri.UnescapeDataString(rest), parameters, isOpaque: true);
        }

        rest = rest[2..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash >= 0 ? rest[..slash] : rest;
        var path = slash >= 0 ? rest[slash..] : string.Empty;

        string? user = null;
        string? password = null;
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            authority = authority[(at + 1)..];
            var split = userInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(split >= 0 ? userInfo[..split] : userInfo);
            password = split >= 0 ? Uri.UnescapeDataString(userInfo[(split + 1)..]) : null;
            user = user.Length == 0 ? null : user;
        }

        var endpoints = new List<KvEndpoint>();
        foreach (var part in authority.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            endpoints.Add(ParseEndpoint(scheme, part));
        }

        return new KvConnectionString(scheme, endpoints, user, password, Uri.UnescapeDataString(path), parameters, isOpaque: false);
    }

    /// <summary>A parameter's value, or <see langword="null"/>.</summary>
    /// <param name="name">The parameter name (case-insensitive).</param>
    public string? Get(string name) => _parameters.TryGetValue(name, out var value) ? value : null;

    /// <summary>An integer parameter, or <paramref name="defaultValue"/> when absent.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="defaultValue">The value when absent.</param>
    public int GetInt32(string name, int defaultValue) =>
        Get(name) is not { } text ? defaultValue
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : throw Bad(name, "an integer");

    /// <summary>A boolean parameter (<c>true</c>/<c>false</c>/<c>1</c>/<c>0</c>), or <paramref name="defaultValue"/> when absent.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="defaultValue">The value when absent.</param>
    public bool GetBoolean(string name, bool defaultValue) => Get(name)?.ToLowerInvariant() switch
    {
        null => defaultValue,
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw Bad(name, "true or false"),
    };

    /// <summary>
    /// A duration parameter: <c>250ms</c>, <c>5s</c>, <c>2m</c>, <c>1h</c>, a number of seconds, or <c>hh:mm:ss</c>;
    /// <paramref name="defaultValue"/> when absent.
    /// </summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="defaultValue">The value when absent.</param>
    public TimeSpan GetTimeSpan(string name, TimeSpan defaultValue) =>
        Get(name) is not { } text ? defaultValue
        : TryParseDuration(text, out var value) ? value
        : throw Bad(name, "a duration such as 250ms, 5s, 2m, 1h or 00:00:05");

    /// <summary>The connection string with passwords, tokens and secrets replaced by <c>***</c>.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder(Scheme).Append(':');
        if (IsOpaque)
        {
            builder.Append(ShownPath);
        }
        else
        {
            builder.Append("//");
            if (UserName is not null)
            {
                builder.Append(Uri.EscapeDataString(UserName)).Append(Password is null ? "@" : ":***@");
            }

            builder.AppendJoin(',', Endpoints).Append(ShownPath);
        }

        var separator = '?';
        foreach (var (name, value) in _parameters)
        {
            builder.Append(separator).Append(name).Append('=').Append(IsSecret(name) ? "***" : Uri.EscapeDataString(value));
            separator = '&';
        }

        return builder.ToString();
    }

    // Found by the connection-string fuzzer: with the '//' forgotten or doubled ('etcd:user:password@host',
    // 'consul:///user:password@host') the credentials land in the path, so a path shows nothing before its last '@'.
    private string ShownPath => Path.LastIndexOf('@') is var at and >= 0 ? "***" + Path[at..] : Path;

    /// <summary>Whether a parameter of this name holds a secret and must never be shown.</summary>
    /// <param name="name">The parameter name.</param>
    public static bool IsSecret(string name) =>
        Array.Exists(SecretNames, secret => secret.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Parses a duration written as <c>250ms</c>, <c>5s</c>, <c>2m</c>, <c>1h</c>, a number of seconds, or <c>hh:mm:ss</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The duration, when the text is valid.</param>
    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        (string number, double scale) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (text[..^2], 1.0),
            _ when text.EndsWith('s') => (text[..^1], 1_000.0),
            _ when text.EndsWith('m') => (text[..^1], 60_000.0),
            _ when text.EndsWith('h') => (text[..^1], 3_600_000.0),
            _ when text.Contains(':', StringComparison.Ordinal) => (string.Empty, 0),
            _ => (text, 1_000.0),
        };

        if (scale == 0)
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);
        }

        // Found by the connection-string fuzzer: '9999999999h' overflowed TimeSpan (OverflowException); it is invalid instead.
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount >= 0
            && double.IsFinite(amount) && amount * scale < MaxDurationMilliseconds)
        {
            value = TimeSpan.FromMilliseconds(amount * scale);
            return true;
        }

        value = default;
        return false;
    }

    private static bool IsSchemeName(ReadOnlySpan<char> name)
    {
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return false;
            }
        }

        return char.IsAsciiLetter(name[0]);
    }

    private static Dictionary<string, string> ParseQuery(string scheme, string query)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(equals >= 0 ? pair[..equals] : pair);
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                // Found by the connection-string fuzzer: a name such as 'x?digest' hid a secret from the redaction and was
                // shown with its value. The value is never part of this message.
                throw new KvConfigurationException(
                    $"The {scheme} connection string has a malformed parameter name '{Printable(name)}': names are ASCII letters, digits, '_', '-' and '.', and values with '&', '=' or '?' must be percent-encoded.");
            }

            var value = equals >= 0 ? Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' ')) : "true";
            if (!parameters.TryAdd(name, value))
            {
                throw new KvConfigurationException($"The {scheme} connection string sets parameter '{name}' more than once.");
            }
        }

        return parameters;
    }

    private static KvEndpoint ParseEndpoint(string scheme, string text)
    {
        string host;
        string? port = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new KvConfigurationException($"The {scheme} connection string has an unclosed '[' in host '{text}'.");
            }

            host = text[1..close];
            if (close + 1 < text.Length)
            {
                port = text[(close + 1)..].TrimStart(':');
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            host = colon >= 0 ? text[..colon] : text;
            port = colon >= 0 ? text[(colon + 1)..] : null;
        }

        if (host.Length == 0)
        {
            throw new KvConfigurationException($"The {scheme} connection string has an empty host in '{Printable(text)}'.");
        }

        // Found by the connection-string fuzzer: 'consul://a%2Fb' and a 16,000-character host reached new Uri(...) and
        // threw UriFormatException.
        if (host.Length > 253 || (text.StartsWith('[') ? !IPAddress.TryParse(host, out _) : !host.All(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_')))
        {
            throw new KvConfigurationException(
                $"The {scheme} connection string has an invalid host '{Printable(host)}': use a host name, an IPv4 address or an IPv6 address in brackets.");
        }

        if (port is null)
        {
            return new KvEndpoint(host, null);
        }

        return int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is > 0 and <= 65535
            ? new KvEndpoint(host, number)
            : throw new KvConfigurationException($"The {scheme} connection string has an invalid port in '{Printable(text)}': use a number from 1 to 65535.");
    }

    // Connection strings come from configuration files and environment variables: never echo control characters, and
    // keep a pasted blob from flooding the message.
    private static string Printable(string text)
    {
        var shown = text.Length > 100 ? text[..100] + "…" : text;
        return string.Concat(shown.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:X4}" : c.ToString()));
    }

    private KvConfigurationException Bad(string name, string expected) =>
        new($"The {Scheme} connection string parameter '{name}' must be {expected}{(IsSecret(name) ? string.Empty : $" (was '{Printable(Get(name) ?? string.Empty)}')")}.");
}
