using System.Numerics;

namespace NetGen.Tests.Runtime;

/// <summary>A network that passes every call to another; tests override <see cref="ForwardBackward"/> to inject faults.</summary>
internal abstract class DelegatingNetwork<T>(INetwork<T> inner) : INetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public NetworkDescription Description => inner.Description;

    public int InputSize => inner.InputSize;

    public int OutputSize => inner.OutputSize;

    public int ParameterCount => inner.ParameterCount;

    public Span<T> Parameters => inner.Parameters;

    public void InitializeParameters(int seed) => inner.InitializeParameters(seed);

    public NetworkWorkspace<T> CreateWorkspace(int batchCapacity) => inner.CreateWorkspace(batchCapacity);

    public void Predict(ReadOnlySpan<T> input, Span<T> output) => inner.Predict(input, output);

    public void Forward(ReadOnlySpan<T> inputs, Span<T> outputs, NetworkWorkspace<T> workspace) => inner.Forward(inputs, outputs, workspace);

    public T ComputeLoss(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, NetworkWorkspace<T> workspace) => inner.ComputeLoss(inputs, targets, workspace);

    public virtual T ForwardBackward(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> gradient, NetworkWorkspace<T> workspace) =>
        inner.ForwardBackward(inputs, targets, gradient, workspace);
}
