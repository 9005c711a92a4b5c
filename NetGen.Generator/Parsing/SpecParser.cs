using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Generator.Ops;
using NetGen.Shared;

namespace NetGen.Generator.Parsing;

/// <summary>
/// Stage 2: reads the attributes of one annotated class into a <see cref="NetworkSpec"/> and the
/// diagnostics of everything wrong with it. This is the last place Roslyn symbols are seen.
/// </summary>
internal static class SpecParser
{
    public const string NetworkAttributeName = "NetGen.NetworkAttribute";
    /// <summary>Every layer attribute (one per unit of <see cref="LayerUnits"/>): a class carrying any of them without [Network] gets NG0012.</summary>
    public static readonly string[] LayerAttributeNames = LayerUnits.All.Select(u => u.AttributeName).ToArray();

    private const long MaxParameters = NetworkRules.MaxParameters;

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var declaration = (TypeDeclarationSyntax)context.TargetNode;
        var networkAttribute = context.Attributes[0];
        var networkLocation = LocationInfo.From(networkAttribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken))
            ?? LocationInfo.From(declaration.Identifier.GetLocation());
        var diagnostics = new List<DiagnosticInfo>();
        string name = type.Name;
        var identifierLocation = LocationInfo.From(declaration.Identifier.GetLocation());

        // A declaration still being typed (no name yet) or [Network] on two parts of one class: the compiler
        // reports those (CS1001, CS0579); generating code would only add errors or collide.
        if (declaration.Identifier.IsMissing || name.Length == 0
            || type.GetAttributes().Count(a => a.AttributeClass?.ToDisplayString() == NetworkAttributeName) > 1)
        {
            return new ParseResult(null, EquatableArray<DiagnosticInfo>.Empty);
        }

        CheckTypeShape(type, declaration, identifierLocation, diagnostics);

        if (networkAttribute.AttributeConstructor is null || HasSyntaxErrors(networkAttribute, cancellationToken))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticCatalog.UnreadableAttribute, networkLocation, "Network", name));
            return new ParseResult(null, diagnostics.ToEquatableArray());
        }

        int inputs = 0;
        bool inputsGiven = false;
        var loss = LossKind.SquaredError;
        var precision = PrecisionKind.Single;
        foreach (var argument in networkAttribute.NamedArguments)
        {
            switch (argument.Key)
            {
                case "Inputs" when argument.Value.Value is int value:
                    inputs = value;
                    inputsGiven = true;
                    break;
                case "Loss" when argument.Value.Value is int value:
                    if (!CheckEnum<LossKind>(value, "Loss", networkLocation, diagnostics))
                    {
                        return new ParseResult(null, diagnostics.ToEquatableArray());
                    }

                    loss = (LossKind)value;
                    break;
                case "Precision" when argument.Value.Value is int value:
                    if (!CheckEnum<PrecisionKind>(value, "Precision", networkLocation, diagnostics))
                    {
                        return new ParseResult(null, diagnostics.ToEquatableArray());
                    }

                    precision = (PrecisionKind)value;
                    break;
            }
        }

        var layers = new List<LayerSpec>();
        var layerLocations = new List<LocationInfo?>();
        var wiring = new List<GraphWiring>();
        foreach (var attribute in type.GetAttributes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var unit = LayerUnits.ForAttribute(attribute.AttributeClass?.ToDisplayString());
            if (unit is null)
            {
                continue;
            }

            var location = LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken)) ?? identifierLocation;
            int index = layers.Count + 1;
            layerLocations.Add(location);
            var layerWiring = GraphWiring.Read(attribute, unit);

            // A half-typed attribute binds partially, sometimes with its arguments in the wrong places: NG0014, and its unit
            // reads no argument (it returns its placeholder, so the checks below see a layer of its kind).
            bool broken = attribute.AttributeConstructor is null || HasSyntaxErrors(attribute, cancellationToken) || !layerWiring.Readable;
            if (broken)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticCatalog.UnreadableAttribute, location, unit.Kind, name));
            }

            var layer = unit.Read(new LayerReader(attribute, name, index, layers.ToList(), location, diagnostics, broken));
            layers.Add(layer);
            wiring.Add(unit.IsInput ? GraphWiring.ForInput(layer.InputName) : layerWiring);
        }

        // Named inputs replace Inputs: the input vector is every named input side by side, in declaration order.
        var namedInputs = layers.Where(l => l.Unit.IsInput).ToList();
        if (namedInputs.Count > 0)
        {
            long total = namedInputs.Sum(l => (long)System.Math.Max(l.Units, 0));
            if (inputsGiven)
            {
                diagnostics.Add(DiagnosticInfo.Create(GraphDiagnostics.InputsTwice, networkLocation, name));
            }
            else if (total > MaxParameters)
            {
                diagnostics.Add(DiagnosticInfo.Create(GraphDiagnostics.InputsTooLarge, networkLocation, name, total, MaxParameters));
            }
            else
            {
                inputs = (int)total;
            }
        }
        else if (inputs <= 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticCatalog.InputsNotPositive, networkLocation, name, inputs));
        }

        if (!layers.Any(l => l.Unit == DenseLayer.Instance))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticCatalog.NoLayers, networkLocation, name));
            return new ParseResult(null, diagnostics.ToEquatableArray());
        }

        for (int i = 0; i < layers.Count - 1; i++)
        {
            if (layers[i].Activation == ActivationKind.Softmax)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticCatalog.SoftmaxNotLast, layerLocations[i], i + 1, name));
            }
        }

        // A network that names its wiring is resolved only once its layers are readable; a chain keeps the checks below.
        bool hasErrors = diagnostics.Any(d => DiagnosticCatalog.Get(d.Id).DefaultSeverity == DiagnosticSeverity.Error);

        // A dropout at the end is a mistake whatever the wiring, reported beside the others in chains and graphs alike
        // (after a softmax output both NG0005 and NG0016 apply: the softmax is not last because of the dropout).
        bool dropoutLast = layers[layers.Count - 1].Unit == DropoutLayer.Instance;
        if (dropoutLast)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticCatalog.DropoutLast, layerLocations[layers.Count - 1], layers.Count, name));
        }

        if (hasErrors && wiring.Any(w => w.IsGraph))
        {
            return new ParseResult(null, diagnostics.ToEquatableArray());
        }

        if (!hasErrors && !GraphWiring.Resolve(name, layers, wiring, layerLocations, diagnostics))
        {
            return new ParseResult(null, diagnostics.ToEquatableArray());
        }

        if (dropoutLast)
        {
            return new ParseResult(null, diagnostics.ToEquatableArray());
        }

        CheckLossFitsOutput(name, loss, layers[layers.Count - 1], layerLocations[layerLocations.Count - 1], diagnostics);

        if (diagnostics.Any(d => DiagnosticCatalog.Get(d.Id).DefaultSeverity == DiagnosticSeverity.Error))
        {
            return new ParseResult(null, diagnostics.ToEquatableArray());
        }

        string? ns = type.ContainingNamespace is { IsGlobalNamespace: false } containing ? containing.ToDisplayString() : null;
        // Sizes are the graph stage's: it applies each op unit's shape rule and reports a misfit on the layer's attribute.
        var located = layers.Select((layer, i) => layer with { Name = wiring[i].Name, Location = layerLocations[i] });
        var spec = new NetworkSpec(ns, type.Name, inputs, loss, precision, located.ToEquatableArray()) { Location = networkLocation };
        return new ParseResult(spec, diagnostics.ToEquatableArray());
    }

    /// <summary>
    /// A half-typed attribute binds partially, sometimes with its arguments in the wrong places; its values
    /// cannot be trusted, so such an attribute is reported as unreadable rather than checked.
    /// </summary>
    private static bool HasSyntaxErrors(AttributeData attribute, CancellationToken cancellationToken) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is { } syntax
        && syntax.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);

    private static void CheckTypeShape(INamedTypeSymbol type, TypeDeclarationSyntax declaration, LocationInfo? location, List<DiagnosticInfo> diagnostics)
    {
        if (declaration is RecordDeclarationSyntax)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticCatalog.UnsupportedTypeKind, location, type.Name, "a record"));
        }
        else if (type.IsStatic)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticCatalog.UnsupportedTypeKind, location, type.Name, "a static class"));
        }
        else if (type.IsFileLocal)
        {
            // Parts of a file-local type must all be in one file, so the generator cannot add one.
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticCatalog.UnsupportedTypeKind, location, type.Name, "a file-local class"));
        }

        if (!declaration.Modifiers.Any(m => m.IsKind(SyntaxKind.PartialKeyword)))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticCatalog.NotPartial, location, type.Name));
        }

        if (type.ContainingType is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticCatalog.NestedType, location, type.Name, type.ContainingType.Name));
        }

        if (type.IsGenericType)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticCatalog.GenericType, location, type.Name));
        }
    }

    /// <summary>True when <paramref name="value"/> is a defined <typeparamref name="TEnum"/>; otherwise reports NG0009 naming <paramref name="property"/>.</summary>
    public static bool CheckEnum<TEnum>(int value, string property, LocationInfo? location, List<DiagnosticInfo> diagnostics)
        where TEnum : struct, Enum
    {
        if (Enum.IsDefined(typeof(TEnum), value))
        {
            return true;
        }

        string enumName = typeof(TEnum) == typeof(ActivationKind) ? "Activation"
            : typeof(TEnum) == typeof(LossKind) ? "Loss"
            : "Precision";
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticCatalog.UnknownEnumValue, location, property, value, enumName,
            string.Join(", ", Enum.GetNames(typeof(TEnum)))));
        return false;
    }

    private static void CheckLossFitsOutput(string name, LossKind loss, LayerSpec last, LocationInfo? location, List<DiagnosticInfo> diagnostics)
    {
        string? problem = NetworkRules.LossOutputMismatch(loss, last.Activation);

        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticCatalog.LossDoesNotFitOutput, location, loss, name, last.Activation, problem));
            return;
        }

        if (NetworkRules.HasTooFewClasses(loss, last.Activation, last.Units))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticCatalog.TooFewClasses, location, name,
                last.Activation == ActivationKind.Softmax ? "a Softmax layer" : "SoftmaxCrossEntropy", last.Units));
        }
    }

    /// <summary>NG0012: a class with layer attributes that forgot [Network] (reported once, on its first layer attribute).</summary>
    public static EquatableArray<DiagnosticInfo> CheckOrphanLayers(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        if (type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == NetworkAttributeName))
        {
            return EquatableArray<DiagnosticInfo>.Empty;
        }

        // Each layer attribute kind runs this check; only the first layer attribute of the class reports, so a class
        // with [Dense] and [Dropout] gets one warning.
        var first = type.GetAttributes().FirstOrDefault(a => System.Array.IndexOf(LayerAttributeNames, a.AttributeClass?.ToDisplayString()) >= 0);
        if (first?.ApplicationSyntaxReference is not { } firstSyntax
            || context.Attributes[0].ApplicationSyntaxReference is not { } thisSyntax
            || firstSyntax.SyntaxTree != thisSyntax.SyntaxTree || firstSyntax.Span != thisSyntax.Span)
        {
            return EquatableArray<DiagnosticInfo>.Empty;
        }

        var location = LocationInfo.From(context.Attributes[0].ApplicationSyntaxReference?.GetSyntax(cancellationToken));
        return new[] { DiagnosticInfo.Create(DiagnosticCatalog.LayerWithoutNetwork, location, type.Name) }.ToEquatableArray();
    }
}
