using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Diagnostics;

namespace NetGen.Generator.Model;

/// <summary>A diagnostic as plain, equatable data: the descriptor's ID, where, and the message arguments.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> MessageArgs)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params object[] messageArgs) =>
        new(descriptor.Id, location, messageArgs.Select(a => a?.ToString() ?? string.Empty).ToEquatableArray());

    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(DiagnosticCatalog.Get(Id), Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None, MessageArgs.ToArray<object>());
}
