namespace NetGen.Layers;

/// <summary>What the element-wise merges share.</summary>
internal static class MergeRules
{
    /// <summary>The shape rule of an element-wise merge: every layer it reads, and its output, have its input size.</summary>
    public static string? SameSize(LayerDescription layer, IReadOnlyList<int> sourceSizes) =>
        sourceSizes.Any(size => size != layer.InputSize) || layer.OutputSize != layer.InputSize
            ? $"combines element by element values of sizes {string.Join(", ", sourceSizes)}, which must all equal its input and output size {layer.InputSize}"
            : null;

    /// <summary>A binary ONNX operator applied left to right over two or more inputs; returns the last output's name.</summary>
    public static string Fold(OnnxModel model, string opType, string name, string[] inputs)
    {
        string result = inputs[0];
        for (int i = 1; i < inputs.Length; i++)
        {
            result = model.AddNode(opType, name + "_" + i, [result, inputs[i]], name + "_" + i + "_out");
        }

        return result;
    }
}
