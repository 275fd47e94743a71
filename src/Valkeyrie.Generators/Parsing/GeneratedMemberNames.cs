using System;
using System.Collections.Generic;

namespace Valkeyrie.Generators.Parsing;

/// <summary>
/// The names of the members the generator adds to every section (SectionEmitter writes them). A user member with one
/// of these names would collide with generated code in ways the compiler reports confusingly (CS0102, CS0111, CS0542),
/// so the parser rejects it up front; a test checks this list against the emitted members.
/// </summary>
internal static class GeneratedMemberNames
{
    public static readonly IReadOnlyCollection<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        "SectionPath",
        "ConfigurationPath",
        "Keys",
        "ConfigurationKeys",
        "Bind",
        "FromKvPairs",
        "ToKvPairs",
        "LoadAsync",
        "LoadVersionedAsync",
        "SaveAsync",
    };
}
