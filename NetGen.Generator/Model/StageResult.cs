using System;
using System.Collections.Generic;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Ops;

namespace NetGen.Generator.Model;

/// <summary>
/// The output of a pipeline stage after the parser: a value, or the diagnostics that stopped network
/// <see cref="TypeName"/>: a user's mistake only the stage can see (a shape misfit in the graph stage), or the NG0017 of
/// a bug. The generator never throws: a broken invariant becomes an error on the network instead of an exception or
/// wrong code, and later stages pass the diagnostics on untouched.
/// </summary>
internal sealed record StageResult<T>(string TypeName, T? Value, EquatableArray<DiagnosticInfo> Diagnostics)
    where T : class
{
    /// <summary>Runs <paramref name="stage"/>, turning a <see cref="GeneratorBugException"/> into NG0017.</summary>
    public static StageResult<T> Run(string typeName, Func<T> stage) =>
        RunChecked(typeName, () => new StageResult<T>(typeName, stage(), EquatableArray<DiagnosticInfo>.Empty));

    /// <summary>Runs a stage that can itself reject the description (<see cref="Rejected"/>), turning a bug into NG0017.</summary>
    public static StageResult<T> RunChecked(string typeName, Func<StageResult<T>> stage)
    {
        try
        {
            return stage();
        }
        catch (GeneratorBugException bug)
        {
            return Rejected(typeName, new[] { DiagnosticInfo.Create(DiagnosticCatalog.GeneratorBug, null, typeName, bug.Message) });
        }
    }

    /// <summary>No value: the description has the mistakes <paramref name="diagnostics"/> report.</summary>
    public static StageResult<T> Rejected(string typeName, IEnumerable<DiagnosticInfo> diagnostics) =>
        new(typeName, null, diagnostics.ToEquatableArray());

    /// <summary>The next stage over this one's value, or this one's diagnostics.</summary>
    public StageResult<TNext> Then<TNext>(Func<T, TNext> stage)
        where TNext : class
        => Value is null ? new StageResult<TNext>(TypeName, null, Diagnostics) : StageResult<TNext>.Run(TypeName, () => stage(Value));

    /// <summary>The next stage over this one's value when that stage can itself reject it, or this one's diagnostics.</summary>
    public StageResult<TNext> ThenChecked<TNext>(Func<T, StageResult<TNext>> stage)
        where TNext : class
        => Value is null ? new StageResult<TNext>(TypeName, null, Diagnostics) : StageResult<TNext>.RunChecked(TypeName, () => stage(Value));
}
