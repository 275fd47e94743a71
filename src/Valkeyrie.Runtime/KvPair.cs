using System.Text;

namespace Valkeyrie;

/// <summary>A key, its value and the index of its last write.</summary>
/// <param name="Key">The canonical key.</param>
/// <param name="Value">The stored bytes.</param>
/// <param name="LastIndex">
/// The index of the last write: greater than 0, changes on every write and is never reused for the same key,
/// so it can be passed to <see cref="IKvStore.AtomicPutAsync"/> as an ABA-safe version.
/// </param>
public sealed record KvPair(string Key, ReadOnlyMemory<byte> Value, ulong LastIndex)
{
    /// <summary>The value decoded as UTF-8 text.</summary>
    public string ValueAsString => Encoding.UTF8.GetString(Value.Span);

    /// <summary>Compares key, index and value bytes (the default record equality would compare the memory reference).</summary>
    /// <param name="other">The pair to compare with.</param>
    public bool Equals(KvPair? other) =>
        other is not null && Key == other.Key && LastIndex == other.LastIndex && Value.Span.SequenceEqual(other.Value.Span);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Key, LastIndex, Value.Length);

    /// <summary>Shows the key and index, never the value (values can be secrets).</summary>
    public override string ToString() => $"{Key} (index {LastIndex}, {Value.Length} bytes)";
}
