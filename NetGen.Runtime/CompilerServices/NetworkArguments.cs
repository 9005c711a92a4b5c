using System.ComponentModel;

namespace NetGen.CompilerServices;

/// <summary>
/// Argument checks shared by all generated networks, so every network reports a wrong buffer the
/// same way: which argument, what length it had and what it needed.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class NetworkArguments
{
    /// <summary>Checks a single-sample input and output.</summary>
    public static void CheckSample(int inputLength, int outputLength, int inputSize, int outputSize)
    {
        if (inputLength != inputSize)
        {
            throw new ArgumentException($"The input has {inputLength} values; this network takes exactly {inputSize}.", "input");
        }

        if (outputLength < outputSize)
        {
            throw new ArgumentException($"The output has room for {outputLength} values; this network writes {outputSize}.", "output");
        }
    }

    /// <summary>Checks a batch and returns its number of samples.</summary>
    public static int CheckBatch<T>(int inputsLength, int inputSize, NetworkWorkspace<T> workspace, int elementsPerSample)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (inputsLength == 0 || inputsLength % inputSize != 0)
        {
            throw new ArgumentException($"The inputs have {inputsLength} values, which is not a positive multiple of the network's {inputSize} inputs per sample.", "inputs");
        }

        int batch = inputsLength / inputSize;
        if (batch > workspace.BatchCapacity)
        {
            throw new ArgumentException($"The batch has {batch} samples but the workspace was created for at most {workspace.BatchCapacity}; create a larger one with CreateWorkspace.", nameof(workspace));
        }

        if (workspace.ElementsPerSample != elementsPerSample)
        {
            throw new ArgumentException("The workspace was created by a different network; create one with this network's CreateWorkspace.", nameof(workspace));
        }

        return batch;
    }

    /// <summary>Checks that a batch's outputs or targets have <c>batch * outputSize</c> values.</summary>
    public static void CheckOutputs(int length, int batch, int outputSize, string argumentName)
    {
        if (length != batch * outputSize)
        {
            throw new ArgumentException($"'{argumentName}' has {length} values; a batch of {batch} samples needs {batch * outputSize} ({outputSize} per sample).", argumentName);
        }
    }

    /// <summary>Checks that a gradient buffer fits the parameter layout.</summary>
    public static void CheckGradient(int length, int parameterCount)
    {
        if (length != parameterCount)
        {
            throw new ArgumentException($"The gradient buffer has {length} values; this network has {parameterCount} parameters.", "gradient");
        }
    }

    /// <summary>Checks that a packed copy of the parameters (<see cref="IPackedPrediction{T}"/>) fits the parameter layout.</summary>
    public static void CheckPacked(int length, int parameterCount)
    {
        if (length != parameterCount)
        {
            throw new ArgumentException($"The packed parameters have {length} values; this network has {parameterCount} parameters.", "packed");
        }
    }
}
