namespace Valkeyrie.Generators.Model;

/// <summary>How the generated code gives a member its value.</summary>
internal enum MemberAssignment
{
    /// <summary>Assigned after construction, only when the key is present.</summary>
    Setter,

    /// <summary>Set in the object initializer; when absent it keeps the default of a template instance.</summary>
    Init,

    /// <summary>A required member: set in the object initializer, and missing is an error.</summary>
    Required,

    /// <summary>Passed to the constructor.</summary>
    Constructor,
}

/// <summary>One member of an object shape.</summary>
/// <param name="Identifier">The member's identifier (escaped).</param>
/// <param name="Segment">Its key segment.</param>
/// <param name="Assignment">How it is given its value.</param>
/// <param name="Value">How its value is read and written.</param>
internal sealed record MemberModel(string Identifier, string Segment, MemberAssignment Assignment, ValueModel Value);
