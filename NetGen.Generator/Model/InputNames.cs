namespace NetGen.Generator.Model;

/// <summary>How generated code names a named input's members: <c>image</c> gives <c>ImageInputOffset</c> and <c>ImageInputSize</c>.</summary>
internal static class InputNames
{
    /// <summary>The name with its first letter upper case, the start of its constants' names.</summary>
    public static string Pascal(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name.Substring(1);

    public static string OffsetConstant(string name) => Pascal(name) + "InputOffset";

    public static string SizeConstant(string name) => Pascal(name) + "InputSize";
}
