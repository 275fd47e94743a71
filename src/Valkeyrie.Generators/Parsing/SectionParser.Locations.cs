using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Valkeyrie.Generators.Parsing;

/// <summary>
/// Diagnostic locations. They are computed only when a reporter is attached (the analyzer), so the generator's
/// transform never walks syntax for them. A symbol declared outside source falls back to the member that uses it.
/// </summary>
internal sealed partial class SectionParser
{
    private void Report(DiagnosticDescriptor descriptor, Func<Location> location, params object[] arguments)
    {
        _report?.Invoke(Diagnostic.Create(descriptor, location(), arguments));
    }

    private static Location IdentifierLocation(ISymbol symbol, Location? fallback) =>
        symbol.Locations.FirstOrDefault(l => l.IsInSource) ?? fallback ?? Location.None;

    private Location TypeLocation(IPropertySymbol property, Location? fallback)
    {
        var syntax = property.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(_cancellationToken);
        return syntax switch
        {
            PropertyDeclarationSyntax declaration => declaration.Type.GetLocation(),
            ParameterSyntax { Type: { } type } => type.GetLocation(),
            _ => IdentifierLocation(property, fallback),
        };
    }

    private Location AttributeLocation(AttributeData attribute, ISymbol owner, Location? fallback) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(_cancellationToken).GetLocation() ?? IdentifierLocation(owner, fallback);

    private Location AttributeArgumentLocation(AttributeData attribute, ISymbol owner, Location? fallback = null)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(_cancellationToken) is AttributeSyntax { ArgumentList.Arguments.Count: > 0 } syntax)
        {
            return syntax.ArgumentList.Arguments[0].GetLocation();
        }

        return AttributeLocation(attribute, owner, fallback);
    }
}
