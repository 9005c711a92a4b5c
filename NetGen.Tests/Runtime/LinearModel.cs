using System.Numerics;
using NetGen.CompilerServices;
using Xunit;

namespace NetGen.Tests.Runtime;

/// <summary>
/// A hand-written network for runtime tests: one dense layer without activation, <c>z = W x + b</c>, trained
/// with any <see cref="Loss"/> (the cross-entropies treat <c>z</c> as logits). Linear regression, logistic
/// regression and softmax regression in one class, written without the generator so runtime tests do not
/// depend on it.
/// </summary>
internal sealed class LinearModel<T> : INetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _parameters;

    /// <param name="biasGradientScale">
    /// Multiplies the bias gradient; anything but 1 makes the gradient deliberately wrong (for gradient-check tests).
    /// </param>
    public LinearModel(int inputSize, int outputSize, Loss loss, int seed = 1, double biasGradientScale = 1)
    {
        InputSize = inputSize;
        OutputSize = outputSize;
        BiasGradientScale = T.CreateTruncating(biasGradientScale);
        var weights = new ParameterTensor("W1", 0, outputSize, inputSize);
        var bias = new ParameterTensor("b1", weights.Length, 1, outputSize);
        Description = new NetworkDescription("LinearModel", inputSize, loss, typeof(T) == typeof(float) ? Precision.Single : Precision.Double,
            [new LayerDescription(1, LayerKind.Dense, inputSize, outputSize, Activation.Identity, weights, bias)]);
        _parameters = new T[Description.ParameterCount];
        InitializeParameters(seed);
    }

    private T BiasGradientScale { get; }

    private ParameterTensor Weights => Description.Layers[0].Weights!.Value;

    private ParameterTensor Bias => Description.Layers[0].Bias!.Value;

    public NetworkDescription Description { get; }

    public int InputSize { get; }

    public int OutputSize { get; }

    public int ParameterCount => _parameters.Length;

    public Span<T> Parameters => _parameters;

    /// <summary>How many times <see cref="ForwardBackward"/> ran.</summary>
    public int ForwardBackwardCalls { get; private set; }

    public void InitializeParameters(int seed)
    {
        var random = new DeterministicRandom(seed);
        Initializers.GlorotUniform(Weights.Slice(_parameters.AsSpan()), InputSize, OutputSize, random);
        Bias.Slice(_parameters.AsSpan()).Clear();
    }

    // Scratch layout: logits of the batch, then their gradients, each capacity * OutputSize values.
    public NetworkWorkspace<T> CreateWorkspace(int batchCapacity) => new(batchCapacity, 2 * OutputSize);

    public void Predict(ReadOnlySpan<T> input, Span<T> output)
    {
        Assert.Equal(InputSize, input.Length);
        Assert.True(output.Length >= OutputSize);
        Logits(input, output[..OutputSize]);
        Losses.ToPredictions<T>(Description.Loss, output[..OutputSize], output[..OutputSize], OutputSize);
    }

    public void Forward(ReadOnlySpan<T> inputs, Span<T> outputs, NetworkWorkspace<T> workspace)
    {
        int batch = CheckBatch(inputs, outputs.Length, workspace);
        Logits(inputs, outputs);
        Losses.ToPredictions<T>(Description.Loss, outputs, outputs, OutputSize);
    }

    public T ComputeLoss(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, NetworkWorkspace<T> workspace)
    {
        int batch = CheckBatch(inputs, targets.Length, workspace);
        var logits = WorkspaceAccess.Buffer(workspace)[..(batch * OutputSize)];
        Logits(inputs, logits);
        return Losses.Compute<T>(Description.Loss, logits, targets, OutputSize);
    }

    public T ForwardBackward(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> gradient, NetworkWorkspace<T> workspace)
    {
        ForwardBackwardCalls++;
        int batch = CheckBatch(inputs, targets.Length, workspace);
        if (gradient.Length != ParameterCount)
        {
            Assert.Fail($"The gradient has {gradient.Length} values, not {ParameterCount}.");
        }

        var logits = WorkspaceAccess.Buffer(workspace)[..(batch * OutputSize)];
        var logitGradients = WorkspaceAccess.Buffer(workspace).Slice(workspace.BatchCapacity * OutputSize, batch * OutputSize);
        Logits(inputs, logits);
        T loss = Losses.Compute<T>(Description.Loss, logits, targets, OutputSize, logitGradients);

        // dL/dW[o, i] += dL/dz[o] * x[i];  dL/db[o] += dL/dz[o]
        var weightGradient = Weights.Slice(gradient);
        var biasGradient = Bias.Slice(gradient);
        for (int n = 0; n < batch; n++)
        {
            var x = inputs.Slice(n * InputSize, InputSize);
            var dz = logitGradients.Slice(n * OutputSize, OutputSize);
            for (int o = 0; o < OutputSize; o++)
            {
                for (int i = 0; i < InputSize; i++)
                {
                    weightGradient[o * InputSize + i] += dz[o] * x[i];
                }

                biasGradient[o] += BiasGradientScale * dz[o];
            }
        }

        return loss;
    }

    // The tests only feed well-formed batches; this catches a runtime component that does not
    // (without formatting a message on the happy path, which would allocate).
    private int CheckBatch(ReadOnlySpan<T> inputs, int outputsLength, NetworkWorkspace<T> workspace)
    {
        int batch = inputs.Length / InputSize;
        if (batch == 0 || inputs.Length != batch * InputSize || batch > workspace.BatchCapacity || outputsLength != batch * OutputSize)
        {
            Assert.Fail($"Bad batch: {inputs.Length} inputs, {outputsLength} outputs, workspace for {workspace.BatchCapacity}.");
        }

        return batch;
    }

    private void Logits(ReadOnlySpan<T> inputs, Span<T> logits)
    {
        ReadOnlySpan<T> weights = Weights.Slice(_parameters.AsSpan());
        ReadOnlySpan<T> bias = Bias.Slice(_parameters.AsSpan());
        int batch = inputs.Length / InputSize;
        for (int n = 0; n < batch; n++)
        {
            var x = inputs.Slice(n * InputSize, InputSize);
            for (int o = 0; o < OutputSize; o++)
            {
                T sum = bias[o];
                for (int i = 0; i < InputSize; i++)
                {
                    sum += weights[o * InputSize + i] * x[i];
                }

                logits[n * OutputSize + o] = sum;
            }
        }
    }
}
