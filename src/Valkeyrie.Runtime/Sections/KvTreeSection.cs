using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace Valkeyrie.Sections;

/// <summary>A read-only <see cref="IConfigurationSection"/> over a <see cref="KvTreeNode"/>; a missing child is an empty section, as in configuration.</summary>
internal sealed class KvTreeSection : IConfigurationSection
{
    private readonly KvTreeNode? _node;
    private readonly char _separator;

    public KvTreeSection(KvTreeNode? node, string key, string path, char separator)
    {
        _node = node;
        Key = key;
        Path = path;
        _separator = separator;
    }

    public string Key { get; }

    public string Path { get; }

    public string? Value
    {
        get => _node?.Value;
        set => throw ReadOnly();
    }

    public string? this[string key]
    {
        get => GetSection(key).Value;
        set => throw ReadOnly();
    }

    public IConfigurationSection GetSection(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        IConfigurationSection section = this;
        foreach (var segment in key.Split(ConfigurationPath.KeyDelimiter))
        {
            section = ((KvTreeSection)section).Child(segment);
        }

        return section;
    }

    public IEnumerable<IConfigurationSection> GetChildren() =>
        _node is null ? [] : _node.Children.Select(child => new KvTreeSection(child.Value, child.Value.Name, Join(child.Value.Name), _separator)).ToArray();

    public IChangeToken GetReloadToken() => NeverChangeToken.Instance;

    private KvTreeSection Child(string segment) => new(_node?.GetChild(segment), segment, Join(segment), _separator);

    private string Join(string segment) => Path.Length == 0 ? segment : Path + _separator + segment;

    private static NotSupportedException ReadOnly() => new("Sections read from store pairs or JSON are read-only.");

    private sealed class NeverChangeToken : IChangeToken
    {
        public static NeverChangeToken Instance { get; } = new();

        public bool HasChanged => false;

        public bool ActiveChangeCallbacks => false;

        public IDisposable RegisterChangeCallback(Action<object?> callback, object? state) => EmptyDisposable.Instance;
    }

    private sealed class EmptyDisposable : IDisposable
    {
        public static EmptyDisposable Instance { get; } = new();

        public void Dispose()
        {
        }
    }
}
