using System.Collections;
using System.Reflection;

namespace Valkeyrie.Binding.Tests;

/// <summary>Compares two bound sections member by member; returns the path of the first difference, or null.</summary>
public static class DeepCompare
{
    public static string? FirstDifference(object? expected, object? actual, string path = "")
    {
        if (expected is null || actual is null)
        {
            return expected is null && actual is null ? null : path;
        }

        var type = expected.GetType();
        if (type != actual.GetType() && !(expected is IEnumerable && actual is IEnumerable))
        {
            return path + " (type " + type.Name + " vs " + actual.GetType().Name + ")";
        }

        switch (expected)
        {
            case string or Uri or Version:
                return expected.ToString() == actual.ToString() ? null : path;
            case DateTime d:
                var other = (DateTime)actual;
                return d.Ticks == other.Ticks && d.Kind == other.Kind ? null : path;
            case DateTimeOffset o:
                var otherOffset = (DateTimeOffset)actual;
                return o.Ticks == otherOffset.Ticks && o.Offset == otherOffset.Offset ? null : path;
            case byte[] bytes:
                return bytes.AsSpan().SequenceEqual((byte[])actual) ? null : path;
            case IDictionary dictionary:
                return CompareDictionaries(dictionary, (IDictionary)actual, path);
            case IEnumerable sequence when IsSet(type):
                return CompareSets(sequence, (IEnumerable)actual, path);
            case IEnumerable sequence:
                return CompareSequences(sequence, (IEnumerable)actual, path);
        }

        if (ConfigurationGen.IsScalar(type))
        {
            return Equals(expected, actual) ? null : path;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.Name == "EqualityContract")
            {
                continue;
            }

            var difference = FirstDifference(property.GetValue(expected), property.GetValue(actual), Join(path, property.Name));
            if (difference is not null)
            {
                return difference;
            }
        }

        return null;
    }

    private static bool IsSet(Type type) => type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ISet<>));

    private static string? CompareDictionaries(IDictionary expected, IDictionary actual, string path)
    {
        var keys = expected.Keys.Cast<string>().Order(StringComparer.Ordinal).ToList();
        if (!keys.SequenceEqual(actual.Keys.Cast<string>().Order(StringComparer.Ordinal)))
        {
            return path + " (keys)";
        }

        foreach (var key in keys)
        {
            var difference = FirstDifference(expected[key], actual[key], Join(path, key));
            if (difference is not null)
            {
                return difference;
            }
        }

        return null;
    }

    private static string? CompareSets(IEnumerable expected, IEnumerable actual, string path)
    {
        var left = expected.Cast<object?>().Select(o => o?.ToString()).Order(StringComparer.Ordinal);
        var right = actual.Cast<object?>().Select(o => o?.ToString()).Order(StringComparer.Ordinal);
        return left.SequenceEqual(right) ? null : path + " (set)";
    }

    private static string? CompareSequences(IEnumerable expected, IEnumerable actual, string path)
    {
        var left = expected.Cast<object?>().ToList();
        var right = actual.Cast<object?>().ToList();
        if (left.Count != right.Count)
        {
            return path + " (count " + left.Count + " vs " + right.Count + ")";
        }

        for (var i = 0; i < left.Count; i++)
        {
            var difference = FirstDifference(left[i], right[i], Join(path, i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (difference is not null)
            {
                return difference;
            }
        }

        return null;
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : path + ":" + name;
}
