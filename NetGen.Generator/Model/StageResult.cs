using System;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Ops;

namespace NetGen.Generator.Model;

/// <summary>
/// The output of a pipeline stage after the parser: a value, or the NG0017 diagnostic of a bug that
/// stopped the generator on network <see cref="TypeName"/>. The generator never throws: a broken
/// invariant becomes an error on the network instead of an exception or wrong code, and later stages
/// pass it on untouched.
/// </summary>
internal sealed record StageResult<T>(string TypeName, T? Value, DiagnosticInfo? Bug)
    where T : class
{
    /// <summary>Runs <paramref name="stage"/>, turning a <see cref="GeneratorBugException"/> into NG0017.</summary>
    public static StageResult<T> Run(string typeName, Func<T> stage)
    {
        try
        {
            return new StageResult<T>(typeName, stage(), null);
        }
        catch (GeneratorBugException bug)
        {
            return new StageResult<T>(typeName, null, DiagnosticInfo.Create(DiagnosticCatalog.GeneratorBug, null, typeName, bug.Message));
        }
    }

    /// <summary>The next stage over this one's value, or this one's bug.</summary>
    public StageResult<TNext> Then<TNext>(Func<T, TNext> stage)
        where TNext : class
        => Value is null ? new StageResult<TNext>(TypeName, null, Bug) : StageResult<TNext>.Run(TypeName, () => stage(Value));
}
