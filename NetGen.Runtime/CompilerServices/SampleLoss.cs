using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.CompilerServices;

/// <summary>
/// The one implementation of each loss, for one sample: generated networks call it from <c>SampleLoss</c>,
/// the dynamic graph's loss node calls it per row, and the public <see cref="Losses"/> calls it after
/// checking its arguments. Each returns the sample's loss in <see cref="double"/> and, unless
/// <c>gradient</c> is empty, <b>writes</b> the loss's derivative with respect to <c>outputs</c> into it.
/// </summary>
/// <remarks>
/// Not for direct use: arguments are not checked (the callers guarantee equal lengths). Sums,
/// exponentials and logarithms are evaluated in double whatever the element type is.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SampleLoss
{
    /// <summary>Classes up to which the softmax cross-entropy keeps its exponentials on the stack (512 bytes).</summary>
    private const int CachedExponentials = 64;

    /// <summary><c>L = 1/2 Σ (y - t)²</c>; <c>dL/dy = y - t</c>.</summary>
    public static double SquaredError<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0;
        for (int i = 0; i < outputs.Length; i++)
        {
            double difference = double.CreateTruncating(outputs[i]) - double.CreateTruncating(targets[i]);
            sum += difference * difference;
            if (!gradient.IsEmpty)
            {
                gradient[i] = T.CreateTruncating(difference);
            }
        }

        return 0.5 * sum;
    }

    /// <summary><c>L = 1/n Σ (y - t)²</c> over the sample's n outputs; <c>dL/dy = 2 (y - t) / n</c>.</summary>
    public static double MeanSquaredError<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0;
        double gradientScale = 2.0 / outputs.Length;
        for (int i = 0; i < outputs.Length; i++)
        {
            double difference = double.CreateTruncating(outputs[i]) - double.CreateTruncating(targets[i]);
            sum += difference * difference;
            if (!gradient.IsEmpty)
            {
                gradient[i] = T.CreateTruncating(gradientScale * difference);
            }
        }

        return sum / outputs.Length;
    }

    /// <summary>
    /// The log loss of <c>sigmoid(z)</c> per output, summed, evaluated as <c>max(z, 0) - z t + ln(1 + e^-|z|)</c>
    /// (no overflow, no <c>ln 0</c>; <see cref="LogOnePlus"/> keeps the last term when <c>e^-|z|</c> is tiny);
    /// <c>dL/dz = sigmoid(z) - t</c>.
    /// </summary>
    public static double BinaryCrossEntropyWithLogits<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            double z = double.CreateTruncating(logits[i]);
            double t = double.CreateTruncating(targets[i]);
            sum += Math.Max(z, 0) - (z * t) + LogOnePlus(Math.Exp(-Math.Abs(z)));
            if (!gradient.IsEmpty)
            {
                gradient[i] = T.CreateTruncating(Sigmoid(z) - t);
            }
        }

        return sum;
    }

    /// <summary>
    /// <c>L = -Σ t ln p</c> with <c>p = softmax(z)</c>, evaluated as <c>Σ t (lse(z) - z)</c> with a max-shifted
    /// log-sum-exp; zero targets are skipped, so the -inf logit of an absent class costs nothing instead of
    /// <c>0 · inf = NaN</c>. <c>dL/dz = p Σt - t</c>, which is <c>p - t</c> for targets that sum to 1.
    /// </summary>
    public static double SoftmaxCrossEntropyWithLogits<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
        => !gradient.IsEmpty && logits.Length <= FewClasses
            ? SoftmaxCrossEntropyOfFew(logits, targets, gradient)
            : SoftmaxCrossEntropyOfMany(logits, targets, gradient);

    /// <summary>Classes up to which the softmax cross-entropy with a gradient keeps its exponentials in a small inline array (<see cref="FewExponentials"/>).</summary>
    private const int FewClasses = 8;

    /// <summary>
    /// A gradient of at most <see cref="FewClasses"/> classes: the exponentials in an inline array, in a method with no
    /// stack buffer (a 512-byte <c>stackalloc</c> costs its guard check on every call: W2 at batch 1 ran 1.03-1.06x
    /// without it).
    /// </summary>
    private static double SoftmaxCrossEntropyOfFew<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Unsafe.SkipInit(out FewExponentials exponentials);
        return SoftmaxCrossEntropyKeeping(logits, targets, gradient, exponentials);
    }

    /// <summary>More classes, or no gradient: the exponentials on the stack up to <see cref="CachedExponentials"/> classes when there is a gradient, else computed again for it.</summary>
    [SkipLocalsInit]
    private static double SoftmaxCrossEntropyOfMany<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<double> exponentials = !gradient.IsEmpty && logits.Length <= CachedExponentials ? stackalloc double[CachedExponentials] : default;
        return SoftmaxCrossEntropyKeeping(logits, targets, gradient, exponentials);
    }

    /// <summary>
    /// The loss and its gradient (unless <paramref name="gradient"/> is empty). Each class's e^(z - max) is computed once
    /// and kept in <paramref name="exponentials"/> for the gradient when it is not empty (the same values as computing
    /// them again, so the same bits: the exponentials were half the loss's cost).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double SoftmaxCrossEntropyKeeping<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets, Span<T> gradient, Span<double> exponentials)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double max = ShiftFor(logits);
        double sumOfExponentials = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            double exponential = Math.Exp(double.CreateTruncating(logits[i]) - max);
            if (!exponentials.IsEmpty)
            {
                exponentials[i] = exponential;
            }

            sumOfExponentials += exponential;
        }

        double logSumExp = max + Math.Log(sumOfExponentials);
        double loss = 0;
        double targetSum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            double target = double.CreateTruncating(targets[i]);
            targetSum += target;
            if (target != 0)
            {
                loss += target * (logSumExp - double.CreateTruncating(logits[i]));
            }
        }

        if (!gradient.IsEmpty)
        {
            for (int i = 0; i < logits.Length; i++)
            {
                double exponential = exponentials.IsEmpty ? Math.Exp(double.CreateTruncating(logits[i]) - max) : exponentials[i];
                double probability = exponential / sumOfExponentials;
                gradient[i] = T.CreateTruncating((probability * targetSum) - double.CreateTruncating(targets[i]));
            }
        }

        return loss;
    }

    /// <summary>The exponentials of <see cref="SoftmaxCrossEntropyOfFew{T}"/>.</summary>
    [InlineArray(FewClasses)]
    private struct FewExponentials
    {
        private double _element;
    }

    /// <summary>
    /// <see cref="SoftmaxCrossEntropyWithLogits{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/> of every sample of a batch
    /// at once, for networks run sample by sample: sample s's logits and its gradient are <paramref name="classes"/> values
    /// at <paramref name="logitsOffset"/> and <paramref name="gradientOffset"/> in its region of <paramref name="buffer"/>,
    /// <c>s * sampleStride</c> on. Returns the summed loss, added sample by sample in order.
    /// </summary>
    /// <remarks>
    /// The same formulas, each operation in the same order, but computed for a vector of samples at once (one sample per
    /// lane of a vector of doubles as wide as the kernels' vectors: 8 samples at 512 bits): a sample's few classes fill no
    /// vector, and three libm <c>exp</c> and one <c>log</c> per sample were a quarter of W2's training step. The
    /// exponential and the logarithm are .NET's vector ones (within an ulp or so of libm's, so the bits may differ from the
    /// one-sample function's); every other operation gives the one-sample function's bits. The last vector of a batch is
    /// padded, so a sample's bits do not depend on the batch around it or its place in it, as long as the batch fills one
    /// vector; a smaller batch goes sample by sample through the one-sample function, with its bits.
    /// </remarks>
    public static double SoftmaxCrossEntropyWithLogits<T>(Span<T> buffer, int sampleStride, int logitsOffset, int gradientOffset, ReadOnlySpan<T> targets, int classes)
        where T : unmanaged, IFloatingPointIeee754<T>
        => SoftmaxCrossEntropyWithLogits(VectorWidth.Bits, buffer, sampleStride, logitsOffset, gradientOffset, targets, classes);

    /// <summary>The samples <see cref="SoftmaxCrossEntropyWithLogits{T}(Span{T}, int, int, int, ReadOnlySpan{T}, int)"/> computes at once with <paramref name="vectorBits"/>-bit vectors (a smaller batch goes sample by sample).</summary>
    internal static int BatchLanes(int vectorBits) => vectorBits / 64;

    /// <summary><see cref="SoftmaxCrossEntropyWithLogits{T}(Span{T}, int, int, int, ReadOnlySpan{T}, int)"/> with vectors of <paramref name="vectorBits"/> bits.</summary>
    // Never inlined: a training step inlines the generated passes whole, and this dispatch inlined into them took the
    // inlining budget the backward pass's kernels needed (W2 at batch 16 ran 0.93x with their calls left out of line).
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static double SoftmaxCrossEntropyWithLogits<T>(int vectorBits, Span<T> buffer, int sampleStride, int logitsOffset, int gradientOffset, ReadOnlySpan<T> targets, int classes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(classes, MaxBatchClasses);
        int batch = targets.Length / classes;
        if (batch < BatchLanes(vectorBits))
        {
            return SoftmaxCrossEntropyOneByOne(buffer, sampleStride, logitsOffset, gradientOffset, targets, classes, batch);
        }

        // Every index the vector loop uses is within these bounds, so it reads and writes through references instead of
        // checked span indexers and per-sample slices.
        if (sampleStride < 0 || logitsOffset < 0 || gradientOffset < 0
            || ((long)(batch - 1) * sampleStride) + Math.Max(logitsOffset, gradientOffset) + classes > buffer.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(buffer), $"A batch of {batch} samples {sampleStride} apart, with {classes} logits at {logitsOffset} and their gradient at {gradientOffset} in each, needs more than the buffer's {buffer.Length} values.");
        }

        ref T values = ref MemoryMarshal.GetReference(buffer);
        ref T targetsStart = ref MemoryMarshal.GetReference(targets);
        return vectorBits switch
        {
            512 => SoftmaxCrossEntropyOfVectors<T, Vector512Ops<double>, Vector512<double>>(ref values, sampleStride, logitsOffset, gradientOffset, ref targetsStart, classes, batch),
            256 => SoftmaxCrossEntropyOfVectors<T, Vector256Ops<double>, Vector256<double>>(ref values, sampleStride, logitsOffset, gradientOffset, ref targetsStart, classes, batch),
            _ => SoftmaxCrossEntropyOfVectors<T, Vector128Ops<double>, Vector128<double>>(ref values, sampleStride, logitsOffset, gradientOffset, ref targetsStart, classes, batch),
        };
    }

    /// <summary>
    /// The vector loop of the batch softmax cross-entropy, one vector of samples at a time, after the bounds are checked:
    /// <paramref name="values"/> and <paramref name="targets"/> are the starts of the buffer and of the targets.
    /// </summary>
    [SkipLocalsInit]
    private static double SoftmaxCrossEntropyOfVectors<T, TOps, TVector>(ref T values, int sampleStride, int logitsOffset, int gradientOffset, ref T targets, int classes, int batch)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOps : struct, IVectorOps<double, TVector>
        where TVector : struct
    {
        int lanes = TOps.Count;

        // Class by class, [class][lane] (at most 4 KB each); a vector's lanes go out to the samples through laneValues.
        Span<double> logits = stackalloc double[classes * lanes];
        Span<double> targetValues = stackalloc double[classes * lanes];
        Span<double> exponentials = stackalloc double[classes * lanes];
        Span<double> laneValues = stackalloc double[lanes];
        ref double logitBlock = ref MemoryMarshal.GetReference(logits);
        ref double targetBlock = ref MemoryMarshal.GetReference(targetValues);
        ref double exponentialBlock = ref MemoryMarshal.GetReference(exponentials);
        ref double laneOut = ref MemoryMarshal.GetReference(laneValues);
        double loss = 0;
        for (int first = 0; first < batch; first += lanes)
        {
            int count = Math.Min(lanes, batch - first);
            if (count < lanes)
            {
                // Lanes past the batch: logits 0, targets 0 (finite, and their results are never stored).
                logits.Clear();
                targetValues.Clear();
            }

            for (int s = 0; s < count; s++)
            {
                ref T sampleLogits = ref Unsafe.Add(ref values, ((first + s) * sampleStride) + logitsOffset);
                ref T sampleTargets = ref Unsafe.Add(ref targets, (first + s) * classes);
                for (int i = 0; i < classes; i++)
                {
                    Unsafe.Add(ref logitBlock, (i * lanes) + s) = double.CreateTruncating(Unsafe.Add(ref sampleLogits, i));
                    Unsafe.Add(ref targetBlock, (i * lanes) + s) = double.CreateTruncating(Unsafe.Add(ref sampleTargets, i));
                }
            }

            // The max shift (ShiftFor): the largest logit, or 0 when it is not finite (x - x is 0 exactly for finite x).
            var zero = TOps.Zero;
            var max = TOps.Broadcast(double.NegativeInfinity);
            for (int i = 0; i < classes; i++)
            {
                max = TOps.Max(max, TOps.Load(ref logitBlock, i * lanes));
            }

            max = TOps.SelectWhereEqual(TOps.Subtract(max, max), zero, max, zero);
            var sumOfExponentials = zero;
            for (int i = 0; i < classes; i++)
            {
                var exponential = TOps.Exp(TOps.Subtract(TOps.Load(ref logitBlock, i * lanes), max));
                TOps.Store(exponential, ref exponentialBlock, i * lanes);
                sumOfExponentials = TOps.Add(sumOfExponentials, exponential);
            }

            var logSumExp = TOps.Add(max, TOps.Log(sumOfExponentials));
            var losses = zero;
            var targetSum = zero;
            for (int i = 0; i < classes; i++)
            {
                var target = TOps.Load(ref targetBlock, i * lanes);
                targetSum = TOps.Add(targetSum, target);
                var withClass = TOps.Add(losses, TOps.Multiply(target, TOps.Subtract(logSumExp, TOps.Load(ref logitBlock, i * lanes))));
                losses = TOps.SelectWhereEqual(target, zero, losses, withClass);
            }

            for (int i = 0; i < classes; i++)
            {
                var probability = TOps.Divide(TOps.Load(ref exponentialBlock, i * lanes), sumOfExponentials);
                TOps.Store(TOps.Subtract(TOps.Multiply(probability, targetSum), TOps.Load(ref targetBlock, i * lanes)), ref laneOut, 0);
                ref T gradientOfClass = ref Unsafe.Add(ref values, (first * sampleStride) + gradientOffset + i);
                for (int s = 0; s < count; s++)
                {
                    Unsafe.Add(ref gradientOfClass, s * sampleStride) = T.CreateTruncating(Unsafe.Add(ref laneOut, s));
                }
            }

            TOps.Store(losses, ref laneOut, 0);
            for (int s = 0; s < count; s++)
            {
                loss += Unsafe.Add(ref laneOut, s);
            }
        }

        return loss;
    }

    /// <summary>
    /// The batch softmax cross-entropy of less than one vector of samples: each sample through the one-sample function
    /// (and its bits), since a vector's exponential and logarithm for one sample cost more than libm's (W2 at batch 1
    /// ran 0.84x with one padded vector).
    /// </summary>
    private static double SoftmaxCrossEntropyOneByOne<T>(Span<T> buffer, int sampleStride, int logitsOffset, int gradientOffset, ReadOnlySpan<T> targets, int classes, int batch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double loss = 0;
        for (int s = 0; s < batch; s++)
        {
            loss += SoftmaxCrossEntropyWithLogits<T>(
                buffer.Slice((s * sampleStride) + logitsOffset, classes),
                targets.Slice(s * classes, classes),
                buffer.Slice((s * sampleStride) + gradientOffset, classes));
        }

        return loss;
    }

    /// <summary>The most classes <see cref="SoftmaxCrossEntropyWithLogits{T}(Span{T}, int, int, int, ReadOnlySpan{T}, int)"/> takes (per-sample networks have at most 64).</summary>
    internal const int MaxBatchClasses = 64;

    /// <summary>
    /// <c>ln(1 + x)</c> accurate for tiny <paramref name="x"/> (x ≥ 0 here). .NET's <c>double.LogP1</c> computes
    /// <c>Log(1 + x)</c>, which rounds <c>1 + e^-40</c> to 1 and the loss of a confident right answer to 0; this
    /// is the classic correction <c>ln(u) · x / (u - 1)</c> with <c>u = 1 + x</c>, exact when <c>u</c> rounds to 1.
    /// </summary>
    internal static double LogOnePlus(double x)
    {
        double u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    /// <summary>The logistic sigmoid in double, without overflow for any <paramref name="z"/>.</summary>
    internal static double Sigmoid(double z)
    {
        // For z < 0, e^-z could overflow; e^z / (1 + e^z) is the same value and stays in range.
        if (z >= 0)
        {
            return 1.0 / (1.0 + Math.Exp(-z));
        }

        double exponential = Math.Exp(z);
        return exponential / (1.0 + exponential);
    }

    /// <summary>The max-shift of a log-sum-exp: the largest value, or 0 when it is not finite (then no shift helps).</summary>
    internal static double ShiftFor<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double max = double.NegativeInfinity;
        foreach (var value in values)
        {
            max = Math.Max(max, double.CreateTruncating(value));
        }

        return double.IsFinite(max) ? max : 0;
    }
}
