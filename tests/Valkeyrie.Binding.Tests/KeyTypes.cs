using System.Reflection;

namespace Valkeyrie.Binding.Tests;

/// <summary>Which type a configuration key relative to a section binds to, and whether it sits inside a collection item.</summary>
public static class KeyTypes
{
    public sealed record Target(Type Type, bool InCollection, PropertyInfo? TopMember);

    public static Target? Resolve(Type section, string key)
    {
        var type = section;
        var inCollection = false;
        PropertyInfo? top = null;
        foreach (var segment in key.Split(':'))
        {
            var core = Nullable.GetUnderlyingType(type) ?? type;
            if (ConfigurationGen.DictionaryValueType(core) is { } value)
            {
                type = value;
                inCollection = true;
            }
            else if (ConfigurationGen.ElementType(core) is { } element)
            {
                type = element;
                inCollection = true;
            }
            else if (!ConfigurationGen.IsScalar(core))
            {
                var member = ConfigurationGen.Members(core).FirstOrDefault(m => string.Equals(m.Key, segment, StringComparison.OrdinalIgnoreCase));
                if (member.Type is null)
                {
                    return null;
                }

                top ??= member.Property;
                type = member.Type;
            }
            else
            {
                return null;
            }
        }

        return new Target(type, inCollection, top);
    }

    /// <summary>The key of the innermost collection item or dictionary value that contains <paramref name="key"/>, or null.</summary>
    public static string? ItemPrefix(Type section, string key)
    {
        var segments = key.Split(':');
        string? item = null;
        for (var i = 1; i < segments.Length; i++)
        {
            var parent = Resolve(section, string.Join(':', segments[..i]));
            if (parent is null)
            {
                break;
            }

            var core = Nullable.GetUnderlyingType(parent.Type) ?? parent.Type;
            if (ConfigurationGen.DictionaryValueType(core) is not null || ConfigurationGen.ElementType(core) is not null)
            {
                item = string.Join(':', segments[..(i + 1)]);
            }
        }

        return item;
    }

    public static bool IsContainer(Type type)
    {
        var core = Nullable.GetUnderlyingType(type) ?? type;
        return !ConfigurationGen.IsScalar(core);
    }

    public static bool IsInteger(Type type)
    {
        var core = Nullable.GetUnderlyingType(type) ?? type;
        return core == typeof(byte) || core == typeof(sbyte) || core == typeof(short) || core == typeof(ushort) || core == typeof(int) || core == typeof(uint)
            || core == typeof(long) || core == typeof(ulong) || core == typeof(Int128) || core == typeof(UInt128);
    }
}
