using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace NetGen.CompilerServices;

/// <summary>
/// Argument checks shared by all generated networks, so every network reports a wrong buffer the
/// same way: which argument, what length it had and what it needed.
/// </summary>
/// <remarks>
/// Each check is a comparison and a call to a throw helper that is never inlined: the checks inline into the generated
/// passes, which a training step inlines whole, and a message built in place (an interpolated string) would be imported
/// into that step too and spend the JIT's inlining budget that the kernels need.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class NetworkArguments
{
    /// <summary>Checks a single-sample input and output.</summary>
    public static void CheckSample(int inputLength, int outputLength, int inputSize, int outputSize)
    {
        if (inputLength != inputSize)
        {
            ThrowSampleInput(inputLength, inputSize);
        }

        if (outputLength < outputSize)
        {
            ThrowSampleOutput(outputLength, outputSize);
        }
    }

    /// <summary>Checks a batch and returns its number of samples.</summary>
    public static int CheckBatch<T>(int inputsLength, int inputSize, NetworkWorkspace<T> workspace, int elementsPerSample)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (inputsLength == 0 || inputsLength % inputSize != 0)
        {
            ThrowBatchInputs(inputsLength, inputSize);
        }

        int batch = inputsLength / inputSize;
        if (batch > workspace.BatchCapacity)
        {
            ThrowBatchCapacity(batch, workspace.BatchCapacity);
        }

        if (workspace.ElementsPerSample != elementsPerSample)
        {
            ThrowForeignWorkspace();
        }

        return batch;
    }

    /// <summary>Checks that a batch's outputs or targets have <c>batch * outputSize</c> values.</summary>
    public static void CheckOutputs(int length, int batch, int outputSize, string argumentName)
    {
        if (length != batch * outputSize)
        {
            ThrowOutputs(length, batch, outputSize, argumentName);
        }
    }

    /// <summary>Checks that a gradient buffer fits the parameter layout.</summary>
    public static void CheckGradient(int length, int parameterCount)
    {
        if (length != parameterCount)
        {
            ThrowLength("The gradient buffer", length, parameterCount, "gradient");
        }
    }

    /// <summary>Checks that a packed copy of the parameters (<see cref="IPackedPrediction{T}"/>) fits the parameter layout.</summary>
    public static void CheckPacked(int length, int parameterCount)
    {
        if (length != parameterCount)
        {
            ThrowLength("The packed parameters", length, parameterCount, "packed");
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowSampleInput(int inputLength, int inputSize) =>
        throw new ArgumentException($"The input has {inputLength} values; this network takes exactly {inputSize}.", "input");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowSampleOutput(int outputLength, int outputSize) =>
        throw new ArgumentException($"The output has room for {outputLength} values; this network writes {outputSize}.", "output");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBatchInputs(int inputsLength, int inputSize) =>
        throw new ArgumentException($"The inputs have {inputsLength} values, which is not a positive multiple of the network's {inputSize} inputs per sample.", "inputs");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBatchCapacity(int batch, int capacity) =>
        throw new ArgumentException($"The batch has {batch} samples but the workspace was created for at most {capacity}; create a larger one with CreateWorkspace.", "workspace");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowForeignWorkspace() =>
        throw new ArgumentException("The workspace was created by a different network; create one with this network's CreateWorkspace.", "workspace");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowOutputs(int length, int batch, int outputSize, string argumentName) =>
        throw new ArgumentException($"'{argumentName}' has {length} values; a batch of {batch} samples needs {batch * outputSize} ({outputSize} per sample).", argumentName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLength(string what, int length, int parameterCount, string argumentName) =>
        throw new ArgumentException($"{what} has {length} values; this network has {parameterCount} parameters.", argumentName);
}
