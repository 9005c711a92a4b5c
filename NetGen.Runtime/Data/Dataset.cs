using System.Numerics;

namespace NetGen;

/// <summary>
/// A dense, in-memory data set: <see cref="Count"/> samples, each a feature vector of <see cref="FeatureCount"/>
/// values and a target vector of <see cref="TargetCount"/> values, stored contiguously sample after sample
/// (so a run of samples is directly a batch for <see cref="INetwork{T}"/>). Classification data also keeps the
/// integer class label of every sample.
/// </summary>
/// <remarks>
/// The constructor takes ownership of the arrays it is given (no copy); <see cref="Split"/> and
/// <see cref="Subset"/> return copies. The views returned by <see cref="Features(int)"/> and
/// <see cref="Targets(int)"/> are writable, which is how scalers transform a data set in place.
/// </remarks>
/// <typeparam name="T">The element type (<see cref="float"/> or <see cref="double"/>).</typeparam>
public sealed class Dataset<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _features;
    private readonly T[] _targets;
    private readonly int[]? _labels;

    /// <summary>Creates a data set over the given arrays, without copying them.</summary>
    /// <param name="features">All feature vectors, sample after sample: <c>Count * featureCount</c> values.</param>
    /// <param name="featureCount">Features per sample; positive.</param>
    /// <param name="targets">All target vectors, sample after sample: <c>Count * targetCount</c> values.</param>
    /// <param name="targetCount">Targets per sample; positive.</param>
    /// <param name="labels">Optional class labels, one per sample, each in [0, <paramref name="classCount"/>).</param>
    /// <param name="classCount">The number of classes when <paramref name="labels"/> are given; otherwise 0.</param>
    /// <exception cref="ArgumentException">The lengths do not agree, or a label is outside its range.</exception>
    public Dataset(T[] features, int featureCount, T[] targets, int targetCount, int[]? labels = null, int classCount = 0)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        if (featureCount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, "'featureCount' must be positive.");
        }

        if (targetCount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(targetCount), targetCount, "'targetCount' must be positive.");
        }

        if (features.Length % featureCount != 0)
        {
            throw new ArgumentException($"'features' has {features.Length} values, which is not a multiple of {featureCount} features per sample.", nameof(features));
        }

        int count = features.Length / featureCount;
        if (targets.Length != (long)count * targetCount)
        {
            throw new ArgumentException($"'targets' has {targets.Length} values; {count} samples of {targetCount} targets need {(long)count * targetCount}.", nameof(targets));
        }

        if (labels is null)
        {
            if (classCount != 0)
            {
                throw new ArgumentException("'classCount' is only meaningful with 'labels'; pass 0 when there are none.", nameof(classCount));
            }
        }
        else
        {
            if (labels.Length != count)
            {
                throw new ArgumentException($"'labels' has {labels.Length} values but there are {count} samples.", nameof(labels));
            }

            if (classCount <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "'classCount' must be positive when 'labels' are given.");
            }

            for (int i = 0; i < labels.Length; i++)
            {
                if ((uint)labels[i] >= (uint)classCount)
                {
                    throw new ArgumentException($"Label {labels[i]} of sample {i} is outside [0, {classCount}).", nameof(labels));
                }
            }
        }

        _features = features;
        _targets = targets;
        _labels = labels;
        Count = count;
        FeatureCount = featureCount;
        TargetCount = targetCount;
        ClassCount = classCount;
    }

    /// <summary>
    /// Creates a classification data set with one-hot targets: sample <c>i</c>'s target vector has
    /// <paramref name="classCount"/> values, 1 at <c>labels[i]</c> and 0 elsewhere (for a softmax output).
    /// </summary>
    /// <param name="features">All feature vectors, sample after sample (used without copying).</param>
    /// <param name="featureCount">Features per sample.</param>
    /// <param name="labels">The class of every sample, in [0, <paramref name="classCount"/>) (copied).</param>
    /// <param name="classCount">The number of classes; positive.</param>
    public static Dataset<T> FromLabels(T[] features, int featureCount, ReadOnlySpan<int> labels, int classCount)
    {
        if (classCount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "'classCount' must be positive.");
        }

        var targets = new T[(long)labels.Length * classCount];
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
            {
                throw new ArgumentException($"Label {labels[i]} of sample {i} is outside [0, {classCount}).", nameof(labels));
            }

            targets[(long)i * classCount + labels[i]] = T.One;
        }

        return new Dataset<T>(features, featureCount, targets, classCount, labels.ToArray(), classCount);
    }

    /// <summary>
    /// Creates a two-class data set with a single 0/1 target per sample (for one sigmoid output trained with
    /// <see cref="Loss.BinaryCrossEntropy"/>, or a squared error such as XOR).
    /// </summary>
    /// <param name="features">All feature vectors, sample after sample (used without copying).</param>
    /// <param name="featureCount">Features per sample.</param>
    /// <param name="labels">The class of every sample, 0 or 1 (copied).</param>
    public static Dataset<T> FromBinaryLabels(T[] features, int featureCount, ReadOnlySpan<int> labels)
    {
        var targets = new T[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] > 1)
            {
                throw new ArgumentException($"Label {labels[i]} of sample {i} is not 0 or 1.", nameof(labels));
            }

            targets[i] = labels[i] == 1 ? T.One : T.Zero;
        }

        return new Dataset<T>(features, featureCount, targets, 1, labels.ToArray(), 2);
    }

    /// <summary>The number of samples.</summary>
    public int Count { get; }

    /// <summary>Features per sample (the network's input size).</summary>
    public int FeatureCount { get; }

    /// <summary>Targets per sample (the network's output size).</summary>
    public int TargetCount { get; }

    /// <summary>True when every sample has a class label.</summary>
    public bool HasLabels => _labels is not null;

    /// <summary>The number of classes; 0 when the data set has no labels.</summary>
    public int ClassCount { get; }

    /// <summary>All feature vectors, sample after sample.</summary>
    public Span<T> AllFeatures => _features;

    /// <summary>All target vectors, sample after sample.</summary>
    public Span<T> AllTargets => _targets;

    /// <summary>All class labels; empty when the data set has none.</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>The feature vector of sample <paramref name="index"/>.</summary>
    public Span<T> Features(int index) => _features.AsSpan(CheckIndex(index) * FeatureCount, FeatureCount);

    /// <summary>The target vector of sample <paramref name="index"/>.</summary>
    public Span<T> Targets(int index) => _targets.AsSpan(CheckIndex(index) * TargetCount, TargetCount);

    /// <summary>The features of samples <paramref name="start"/> to <c>start + count - 1</c>: a ready batch.</summary>
    public Span<T> Features(int start, int count) => _features.AsSpan(CheckRange(start, count) * FeatureCount, count * FeatureCount);

    /// <summary>The targets of samples <paramref name="start"/> to <c>start + count - 1</c>.</summary>
    public Span<T> Targets(int start, int count) => _targets.AsSpan(CheckRange(start, count) * TargetCount, count * TargetCount);

    /// <summary>The class label of sample <paramref name="index"/>.</summary>
    /// <exception cref="InvalidOperationException">The data set has no labels.</exception>
    public int Label(int index)
    {
        if (_labels is null)
        {
            throw new InvalidOperationException("This data set has no class labels.");
        }

        return _labels[CheckIndex(index)];
    }

    /// <summary>A copy of the samples at <paramref name="indices"/>, in that order.</summary>
    public Dataset<T> Subset(ReadOnlySpan<int> indices)
    {
        var features = new T[(long)indices.Length * FeatureCount];
        var targets = new T[(long)indices.Length * TargetCount];
        int[]? labels = _labels is null ? null : new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            int source = indices[i];
            if ((uint)source >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), source, $"Index {source} at position {i} is outside the {Count} samples.");
            }

            Features(source).CopyTo(features.AsSpan(i * FeatureCount, FeatureCount));
            Targets(source).CopyTo(targets.AsSpan(i * TargetCount, TargetCount));
            if (labels is not null)
            {
                labels[i] = _labels![source];
            }
        }

        return new Dataset<T>(features, FeatureCount, targets, TargetCount, labels, ClassCount);
    }

    /// <summary>
    /// Splits the samples at random into a training and a test set (copies, each in the original sample order).
    /// The test set gets <c>round(Count * testFraction)</c> samples.
    /// </summary>
    /// <param name="testFraction">The share of samples for the test set, in (0, 1).</param>
    /// <param name="seed">Seeds the <see cref="DeterministicRandom"/> that picks the samples: the same seed gives the same split.</param>
    /// <param name="stratify">
    /// Keep each class's share in both sets: every class contributes its share of the test samples, rounded
    /// so that the class quotas add up to the test size (largest remainders first, ties to the lower class).
    /// Requires labels.
    /// </param>
    /// <returns>The training set and the test set.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is not in (0, 1) or leaves one of the sets empty.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="stratify"/> is set but the data set has no labels.</exception>
    public (Dataset<T> Train, Dataset<T> Test) Split(double testFraction, int seed, bool stratify = false)
    {
        if (!(testFraction > 0 && testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "'testFraction' must be between 0 and 1 (exclusive).");
        }

        int testCount = (int)Math.Round(Count * testFraction, MidpointRounding.AwayFromZero);
        if (testCount == 0 || testCount == Count)
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, $"A test fraction of {testFraction} of {Count} samples leaves the {(testCount == 0 ? "test" : "training")} set empty.");
        }

        if (stratify && _labels is null)
        {
            throw new InvalidOperationException("Stratified splitting needs class labels; this data set has none.");
        }

        var random = new DeterministicRandom(seed);
        var inTest = new bool[Count];
        if (!stratify)
        {
            var order = CreateIdentityPermutation(Count);
            random.Shuffle(order.AsSpan());
            foreach (int index in order.AsSpan(0, testCount))
            {
                inTest[index] = true;
            }
        }
        else
        {
            MarkStratifiedTestSamples(inTest, testCount, random);
        }

        var train = new int[Count - testCount];
        var test = new int[testCount];
        int trainIndex = 0, testIndex = 0;
        for (int i = 0; i < Count; i++)
        {
            if (inTest[i])
            {
                test[testIndex++] = i;
            }
            else
            {
                train[trainIndex++] = i;
            }
        }

        return (Subset(train), Subset(test));
    }

    private void MarkStratifiedTestSamples(bool[] inTest, int testCount, DeterministicRandom random)
    {
        var labels = _labels!;
        var classSizes = new int[ClassCount];
        foreach (int label in labels)
        {
            classSizes[label]++;
        }

        // Largest-remainder apportionment: floor every class's exact quota, then hand the samples still
        // missing to the classes whose quotas lost the most in rounding.
        var quotas = new int[ClassCount];
        var remainders = new double[ClassCount];
        int assigned = 0;
        for (int c = 0; c < ClassCount; c++)
        {
            double exact = (double)classSizes[c] * testCount / Count;
            quotas[c] = (int)Math.Floor(exact);
            remainders[c] = exact - quotas[c];
            assigned += quotas[c];
        }

        var byRemainder = CreateIdentityPermutation(ClassCount);
        Array.Sort(byRemainder, (a, b) => remainders[a] != remainders[b] ? remainders[b].CompareTo(remainders[a]) : a.CompareTo(b));
        for (int k = 0; assigned < testCount; k++)
        {
            int c = byRemainder[k % ClassCount];
            if (quotas[c] < classSizes[c])
            {
                quotas[c]++;
                assigned++;
            }
        }

        for (int c = 0; c < ClassCount; c++)
        {
            var members = new int[classSizes[c]];
            int n = 0;
            for (int i = 0; i < labels.Length; i++)
            {
                if (labels[i] == c)
                {
                    members[n++] = i;
                }
            }

            random.Shuffle(members.AsSpan());
            foreach (int index in members.AsSpan(0, quotas[c]))
            {
                inTest[index] = true;
            }
        }
    }

    private static int[] CreateIdentityPermutation(int count)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }

        return order;
    }

    private int CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The index must be in [0, {Count}).");
        }

        return index;
    }

    private int CheckRange(int start, int count)
    {
        if (start < 0 || count < 0 || start > Count - count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Samples {start} to {start + count - 1} are not all within [0, {Count}).");
        }

        return start;
    }
}
