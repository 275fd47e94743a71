namespace Valkeyrie.Runtime.Tests;

public sealed class KvKeysTests
{
    [Theory]
    [InlineData("a/b", true)]
    [InlineData("/a/b", false)]
    [InlineData("a/b/", false)]
    [InlineData("a//b", false)]
    [InlineData("a/./b", false)]
    [InlineData("_valkeyrie/keys", false)]
    [InlineData("", false)]
    public void IsCanonical_accepts_only_keys_stored_exactly_as_Valkeyrie_names_them(string key, bool expected) =>
        Assert.Equal(expected, KvKeys.IsCanonical(key));

    [Theory]
    [InlineData("a", "a")]
    [InlineData("/a/b", "a/b")]
    [InlineData("a/b/", "a/b")]
    [InlineData("/a/b/", "a/b")]
    [InlineData("app/db.host", "app/db.host")]
    public void Normalize_trims_one_leading_and_trailing_slash(string input, string expected) =>
        Assert.Equal(expected, KvKeys.Normalize(input));

    [Theory]
    [InlineData("", "at least one segment")]
    [InlineData("/", "at least one segment")]
    [InlineData("a//b", "empty segments")]
    [InlineData("//a", "empty segments")]
    [InlineData("a/./b", "'.' or '..'")]
    [InlineData("a/../b", "'.' or '..'")]
    [InlineData("a\nb", "control characters")]
    [InlineData("_valkeyrie/locks", "reserved")]
    [InlineData("\uFEFF/app", "non-printing")] // found by the key fuzzer: Consul wrote it by txn, then refused every read
    [InlineData("a\u200Bb", "non-printing")]
    [InlineData("a\u00A0b", "non-printing")]
    [InlineData("a\u2028b", "non-printing")]
    [InlineData("a\uE000b", "non-printing")]
    public void Normalize_rejects_bad_keys_naming_the_rule(string input, string rule)
    {
        var error = Assert.Throws<ArgumentException>(() => KvKeys.Normalize(input));
        Assert.Contains(rule, error.Message, StringComparison.Ordinal);
        Assert.Equal("key", error.ParamName);
    }

    [Fact]
    public void Normalize_rejects_keys_over_the_byte_limit()
    {
        var error = Assert.Throws<ArgumentException>(() => KvKeys.Normalize(new string('é', KvKeys.MaxKeyBytes / 2 + 1)));
        Assert.Contains("512 UTF-8 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_rejects_lone_surrogates()
    {
        // Found by the key fuzzer: a lone surrogate has no UTF-8 form, backends stored U+FFFD and two keys collided.
        // (Built in code: attribute data cannot carry a lone surrogate.)
        foreach (var key in new[] { "a" + (char)0xD800 + "b", "b" + (char)0xDE00, (char)0xDE00 + "x" + (char)0xD83D })
        {
            var error = Assert.Throws<ArgumentException>(() => KvKeys.Normalize(key));
            Assert.Contains("lone surrogate", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("a b")]
    [InlineData("emoji/😀")]
    [InlineData("cafe\u0301")]
    [InlineData("日本/キー")]
    public void Printable_unicode_and_the_ascii_space_stay_valid(string key) => Assert.Equal(key, KvKeys.Normalize(key));

    [Fact]
    public void Invisible_characters_and_lone_surrogates_are_escaped_in_messages()
    {
        var error = Assert.Throws<ArgumentException>(() => KvKeys.Normalize("😀\uFEFFx" + (char)0xD800));
        Assert.Contains("😀\\uFEFFx\\uD800", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Control_characters_are_escaped_in_messages()
    {
        var error = Assert.Throws<ArgumentException>(() => KvKeys.Normalize("a\u0007b"));
        Assert.Contains("a\\u0007b", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("/", "")]
    [InlineData("app/", "app")]
    public void NormalizePrefix_allows_the_root(string input, string expected) =>
        Assert.Equal(expected, KvKeys.NormalizePrefix(input));

    [Theory]
    [InlineData("app/x", "app", true)]
    [InlineData("apple/x", "app", false)]
    [InlineData("app", "app", false)]
    [InlineData("app/x/y", "app/x", true)]
    [InlineData("anything", "", true)]
    public void IsDescendant_respects_segment_boundaries(string key, string prefix, bool expected) =>
        Assert.Equal(expected, KvKeys.IsDescendant(key, prefix));
}
