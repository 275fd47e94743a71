using System.Collections.Generic;
using System.Text;

namespace Valkeyrie.Generators.Parsing;

/// <summary>Applies a section's naming policy (the values of Valkeyrie.Sections.KvNamingPolicy) to a member name.</summary>
internal static class KeyNaming
{
    public const int MemberName = 0;
    public const int CamelCase = 1;
    public const int KebabCase = 2;
    public const int SnakeCase = 3;

    public static string Apply(string name, int policy) => policy switch
    {
        CamelCase => Camel(Words(name)),
        KebabCase => string.Join("-", Lower(Words(name))),
        SnakeCase => string.Join("_", Lower(Words(name))),
        _ => name,
    };

    private static string Camel(List<string> words)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            builder.Append(i == 0 ? word.ToLowerInvariant() : char.ToUpperInvariant(word[0]) + word.Substring(1));
        }

        return builder.ToString();
    }

    private static IEnumerable<string> Lower(List<string> words)
    {
        foreach (var word in words)
        {
            yield return word.ToLowerInvariant();
        }
    }

    // Splits "HTTPServerPort2" into HTTP, Server, Port2: a word starts at an upper-case letter after a lower-case
    // letter or digit, or at the last capital of an acronym followed by a lower-case letter. '_' and '-' separate too.
    private static List<string> Words(string name)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c is '_' or '-')
            {
                Flush(words, current);
                continue;
            }

            if (char.IsUpper(c) && current.Length > 0)
            {
                var previous = name[i - 1];
                var nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (char.IsLower(previous) || char.IsDigit(previous) || (char.IsUpper(previous) && nextIsLower))
                {
                    Flush(words, current);
                }
            }

            current.Append(c);
        }

        Flush(words, current);
        return words;
    }

    private static void Flush(List<string> words, StringBuilder current)
    {
        if (current.Length > 0)
        {
            words.Add(current.ToString());
            current.Clear();
        }
    }
}
