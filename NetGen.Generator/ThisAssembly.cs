namespace NetGen.Generator;

/// <summary>Facts about the generator itself that go into generated code.</summary>
internal static class ThisAssembly
{
    /// <summary>The version written into [GeneratedCode] attributes.</summary>
    public const string Version = "0.1.0";
}
