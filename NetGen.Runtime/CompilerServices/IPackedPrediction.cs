using System.ComponentModel;
using System.Numerics;

namespace NetGen.CompilerServices;

/// <summary>
/// What a <see cref="Predictor{T}"/> needs of a network: a copy of its parameters laid out for predictions one
/// sample at a time, and the prediction on such a copy. Every generated network implements it; users call
/// <see cref="Predictor{T}"/> instead.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IPackedPrediction<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Writes the network's current parameters into <paramref name="packed"/> (<see cref="INetwork.ParameterCount"/>
    /// values): the same layout, except that the weights of layers wide enough to pay for it are stored transposed, in
    /// panels, as <see cref="DenseKernels.PackWeights{T}(ReadOnlySpan{T}, Span{T}, int, int)"/> writes them.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="packed"/> has another length.</exception>
    void PackParameters(Span<T> packed);

    /// <summary>
    /// <see cref="INetwork{T}.Predict"/> with the parameters <see cref="PackParameters"/> wrote into
    /// <paramref name="packed"/> instead of the network's own. Thread-safe; allocation-free.
    /// </summary>
    /// <exception cref="ArgumentException">A span has another length than the network needs.</exception>
    void PredictPacked(ReadOnlySpan<T> packed, ReadOnlySpan<T> input, Span<T> output);
}
