using CsCheck;

namespace Valkeyrie.Fuzz.Tests;

/// <summary>The generators the fuzz suites share: hostile keys, binary values, and the iteration budget.</summary>
internal static class FuzzGen
{
    /// <summary>
    /// Characters a key may be built from: mostly letters and separators, with dots (for <c>.</c>/<c>..</c> segments),
    /// URL and shell metacharacters, non-ASCII text, invisible characters, control characters and lone surrogates.
    /// </summary>
    public static readonly Gen<char> KeyChar = Gen.Frequency<char>(
        (12, Gen.Char['a', 'z']),
        (3, Gen.Const('/')),
        (2, Gen.Const('.')),
        (3, Gen.OneOf(' ', '%', '?', '#', '*', '\\', ':', '+', '&', '=', '"', '\'', '~', '@', '[', ']', '{', '}', '<', '>', '$', '-', '_')),
        (2, Gen.OneOf('é', 'ß', '日', '本', 'Ж', '\u200B', '\uFEFF', '\u00A0', '\u0301')),
        (1, Gen.Char['\0', '\u001F']),
        (1, Gen.OneOf('\u007F', '\u0085', '\u2028')),
        (1, Gen.Char['\uD800', '\uDFFF']));

    /// <summary>Short hostile keys, emoji (surrogate pairs), and keys whose UTF-8 length is around the 512-byte limit.</summary>
    public static readonly Gen<string> Key = Gen.Frequency<string>(
        (10, KeyChar.Array[1, 24].Select(chars => new string(chars))),
        (2, Gen.Select(Gen.Char['a', 'z'].Array[1, 6], Gen.Int[1, 3], (chars, emoji) => new string(chars) + string.Concat(Enumerable.Repeat("😀", emoji)))),
        (2, Gen.Int[KvKeys.MaxKeyBytes - 4, KvKeys.MaxKeyBytes + 4].Select(bytes => "long/" + new string('k', bytes - 5))),
        (1, Gen.Int[(KvKeys.MaxKeyBytes / 2) - 4, (KvKeys.MaxKeyBytes / 2) + 2].Select(twoByte => "wide/" + new string('é', twoByte - 3))));

    /// <summary>Values: empty, small binary, text with NULs and invalid UTF-8, and a few tens of KiB.</summary>
    public static readonly Gen<byte[]> Value = Gen.Frequency<byte[]>(
        (1, Gen.Const(() => Array.Empty<byte>())),
        (6, Gen.Byte.Array[1, 64]),
        (2, Gen.OneOf<byte[]>([0], [0xFF, 0xFE], [0xC3], [0xED, 0xA0, 0x80], "\r\n"u8.ToArray(), "%00"u8.ToArray())),
        (1, Gen.Byte.Array[1_000, 48_000]));

    /// <summary>
    /// Iterations per property for suites that talk to servers, kept small so the whole project stays near two minutes
    /// on a loaded two-core machine. <c>VALKEYRIE_FUZZ_ITERATIONS</c> raises it for a longer local hunt.
    /// </summary>
    public static long ServerIterations => long.TryParse(Environment.GetEnvironmentVariable("VALKEYRIE_FUZZ_ITERATIONS"), out var n) && n > 0 ? n : 40;

    /// <summary>Iterations for pure in-process properties (parsers, CLI on the memory store).</summary>
    public static long LocalIterations => ServerIterations * 25;

    /// <summary>A value for messages: its length and a short hex prefix, never its content as text.</summary>
    public static string Describe(byte[] value) => $"{value.Length} bytes ({Convert.ToHexString(value.AsSpan(0, Math.Min(8, value.Length)))}…)";

    /// <summary>A key for messages, with control characters and surrogates escaped.</summary>
    public static string Describe(string key) =>
        string.Concat(key.Length > 60 ? key[..60] + $"…({key.Length} chars)" : key)
            .Aggregate(new System.Text.StringBuilder(), (b, c) => char.IsControl(c) || char.IsSurrogate(c) ? b.Append($"\\u{(int)c:X4}") : b.Append(c))
            .ToString();
}
