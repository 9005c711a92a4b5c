namespace NetGen.Generator.Ops;

/// <summary>
/// A broken invariant inside the generator (an op asked for something it cannot have). The pipeline
/// catches it and reports NG0017 on the network, so a bug shows as a diagnostic, never as wrong code.
/// </summary>
internal sealed class GeneratorBugException(string message) : System.Exception(message);
