using System.Collections.Immutable;

namespace Valkeyrie.Configuration.Internal;

/// <summary>What one store key currently contributes: its raw text (for change detection and the snapshot file) and its configuration keys.</summary>
/// <param name="RawValue">The value decoded as UTF-8.</param>
/// <param name="ConfigurationKeys">The configuration keys it produced.</param>
internal sealed record StoredKey(string RawValue, ImmutableArray<string> ConfigurationKeys);
