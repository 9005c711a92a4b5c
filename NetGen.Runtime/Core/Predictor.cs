using System.Numerics;
using NetGen.CompilerServices;

namespace NetGen;

/// <summary>
/// A trained network's parameters frozen for predictions one sample at a time: a copy in which the weights of the
/// wide dense layers are stored transposed, so a prediction reads them in one sequential stream (1.7x the speed of
/// <see cref="INetwork{T}.Predict"/>, which reads eight rows at once, through a 784-128-10 network with 512-bit vectors).
/// </summary>
/// <remarks>
/// The predictor copies the parameters when it is created and when <see cref="Refresh"/> is called; changes to the
/// network's parameters in between (training, loading) are not seen until then. Its predictions may differ from
/// <see cref="INetwork{T}.Predict"/>'s in the last bits: each output of a packed layer is one chain of fused
/// multiply-adds from the bias over the inputs in order, the sum that <see cref="INetwork{T}.Forward"/> forms for a
/// batch of 32 or more samples at 512 bits. <see cref="Predict"/> is thread-safe and allocation-free;
/// <see cref="Refresh"/> must not run while another thread predicts.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Predictor<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IPackedPrediction<T> _packing;
    private readonly T[] _packed;

    /// <summary>Copies <paramref name="network"/>'s parameters into the layout for predictions.</summary>
    /// <param name="network">A network the NetGen generator emitted.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="network"/> was not emitted by the generator (a <c>DynamicNetwork</c>
    /// or a hand-written <see cref="INetwork{T}"/>), so it has no packed layout.</exception>
    public Predictor(INetwork<T> network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network is not IPackedPrediction<T> packing)
        {
            throw new ArgumentException(
                $"{network.GetType().Name} has no packed layout for predictions (it does not implement IPackedPrediction<{typeof(T).Name}>, which the NetGen generator emits for every [Network] class); call its Predict instead.",
                nameof(network));
        }

        Network = network;
        _packing = packing;
        _packed = new T[network.ParameterCount];
        Refresh();
    }

    /// <summary>The network whose parameters this predictor copied.</summary>
    public INetwork<T> Network { get; }

    /// <summary>Number of input features of one sample.</summary>
    public int InputSize => Network.InputSize;

    /// <summary>Number of outputs of one sample.</summary>
    public int OutputSize => Network.OutputSize;

    /// <summary>Copies the network's current parameters again (after more training, or after loading others).</summary>
    public void Refresh() => _packing.PackParameters(_packed);

    /// <summary>
    /// Predicts one sample with the parameters copied last: writes the network's output (probabilities for the
    /// cross-entropy losses) for <paramref name="input"/> into <paramref name="output"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="input"/> does not hold <see cref="InputSize"/> values or
    /// <paramref name="output"/> does not hold <see cref="OutputSize"/>.</exception>
    public void Predict(ReadOnlySpan<T> input, Span<T> output) => _packing.PredictPacked(_packed, input, output);
}
