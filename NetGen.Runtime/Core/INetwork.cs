using System.Numerics;

namespace NetGen;

/// <summary>
/// What every generated network exposes, whatever its element type: its shape and a description
/// the runtime (trainer, gradient check, dynamic graph, persistence) can read.
/// </summary>
public interface INetwork
{
    /// <summary>The layers, sizes, loss and parameter layout of the network.</summary>
    NetworkDescription Description { get; }

    /// <summary>Number of input features of one sample.</summary>
    int InputSize { get; }

    /// <summary>Number of outputs of one sample (predictions and targets have this length).</summary>
    int OutputSize { get; }

    /// <summary>Number of trainable parameters: the length of <c>Parameters</c> and of a gradient buffer.</summary>
    int ParameterCount { get; }
}

/// <summary>
/// A network compiled by the NetGen generator, with element type <typeparamref name="T"/>
/// (<see cref="float"/> or <see cref="double"/>).
/// </summary>
/// <remarks>
/// All parameters live in one flat buffer (<see cref="Parameters"/>), laid out as
/// <see cref="NetworkDescription.Tensors"/> says; gradients use the same layout. The network
/// object holds parameters only: all per-call scratch memory is in a <see cref="NetworkWorkspace{T}"/>,
/// so several threads may run <see cref="ForwardBackward"/> on one network at once, each with its
/// own workspace and gradient buffer. None of the methods allocates.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public interface INetwork<T> : INetwork
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The flat parameter buffer (weights and biases of every layer).</summary>
    Span<T> Parameters { get; }

    /// <summary>
    /// Re-initializes every parameter from <paramref name="seed"/>: Xavier/Glorot uniform weights for
    /// sigmoid, tanh, identity, softplus and softmax layers, He uniform for the ReLU family, zero biases.
    /// The same seed always gives the same parameters.
    /// </summary>
    void InitializeParameters(int seed);

    /// <summary>Creates scratch memory for batches of up to <paramref name="batchCapacity"/> samples.</summary>
    NetworkWorkspace<T> CreateWorkspace(int batchCapacity);

    /// <summary>
    /// Predicts one sample: writes the network's output (probabilities for the cross-entropy losses)
    /// for <paramref name="input"/> into <paramref name="output"/>. Thread-safe; allocation-free.
    /// </summary>
    void Predict(ReadOnlySpan<T> input, Span<T> output);

    /// <summary>
    /// Predicts a batch: <paramref name="inputs"/> holds <c>n * InputSize</c> values (sample after sample),
    /// <paramref name="outputs"/> receives <c>n * OutputSize</c>.
    /// </summary>
    void Forward(ReadOnlySpan<T> inputs, Span<T> outputs, NetworkWorkspace<T> workspace);

    /// <summary>
    /// Runs a batch forward and backward: returns the sum of the per-sample losses and <b>adds</b> the
    /// gradient of that sum with respect to every parameter into <paramref name="gradient"/>
    /// (length <see cref="INetwork.ParameterCount"/>). The caller zeroes or scales the gradient.
    /// </summary>
    T ForwardBackward(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> gradient, NetworkWorkspace<T> workspace);

    /// <summary>
    /// Returns the sum of the per-sample losses of a batch, without computing gradients. (Not named
    /// <c>Loss</c>: a member of that name would hide the <see cref="NetGen.Loss"/> enum in the attributes on the class.)
    /// </summary>
    T ComputeLoss(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, NetworkWorkspace<T> workspace);
}
