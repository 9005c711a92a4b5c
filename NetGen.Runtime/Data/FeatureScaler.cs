using System.Numerics;

namespace NetGen;

/// <summary>
/// A per-feature affine transformation <c>x' = (x - shift) / scale</c>, fitted on one data set (typically the
/// training set) and then applied unchanged to others (validation, test, new samples), so every set sees the
/// same mapping.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public abstract class FeatureScaler<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _shift;
    private readonly T[] _scale;

    /// <summary>Creates a scaler from its per-feature shifts and (non-zero) scales.</summary>
    private protected FeatureScaler(T[] shift, T[] scale)
    {
        _shift = shift;
        _scale = scale;
    }

    /// <summary>The number of features the scaler was fitted on.</summary>
    public int FeatureCount => _shift.Length;

    /// <summary>The value subtracted from each feature.</summary>
    public ReadOnlySpan<T> Shift => _shift;

    /// <summary>The value each shifted feature is divided by; never zero.</summary>
    public ReadOnlySpan<T> Scale => _scale;

    /// <summary>Transforms every sample of <paramref name="dataset"/> in place.</summary>
    public void Transform(Dataset<T> dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.FeatureCount != FeatureCount)
        {
            throw new ArgumentException($"The data set has {dataset.FeatureCount} features per sample; the scaler was fitted on {FeatureCount}.", nameof(dataset));
        }

        Transform(dataset.AllFeatures);
    }

    /// <summary>Transforms one or more feature vectors in place (sample after sample).</summary>
    /// <param name="features">A multiple of <see cref="FeatureCount"/> values.</param>
    public void Transform(Span<T> features)
    {
        if (features.Length % FeatureCount != 0)
        {
            throw new ArgumentException($"'features' has {features.Length} values, which is not a multiple of the scaler's {FeatureCount} features.", nameof(features));
        }

        for (int start = 0; start < features.Length; start += FeatureCount)
        {
            var sample = features.Slice(start, FeatureCount);
            for (int j = 0; j < sample.Length; j++)
            {
                sample[j] = (sample[j] - _shift[j]) / _scale[j];
            }
        }
    }

    /// <summary>Undoes <see cref="Transform(Span{T})"/> in place: <c>x = x' scale + shift</c>.</summary>
    /// <param name="features">A multiple of <see cref="FeatureCount"/> values.</param>
    public void InverseTransform(Span<T> features)
    {
        if (features.Length % FeatureCount != 0)
        {
            throw new ArgumentException($"'features' has {features.Length} values, which is not a multiple of the scaler's {FeatureCount} features.", nameof(features));
        }

        for (int start = 0; start < features.Length; start += FeatureCount)
        {
            var sample = features.Slice(start, FeatureCount);
            for (int j = 0; j < sample.Length; j++)
            {
                sample[j] = sample[j] * _scale[j] + _shift[j];
            }
        }
    }

    /// <summary>Checks the arguments of a <c>Fit</c> and returns the number of samples.</summary>
    private protected static int CheckFit(ReadOnlySpan<T> features, int featureCount)
    {
        if (featureCount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, "'featureCount' must be positive.");
        }

        if (features.IsEmpty || features.Length % featureCount != 0)
        {
            throw new ArgumentException($"'features' has {features.Length} values, which is not a positive multiple of {featureCount} features per sample.", nameof(features));
        }

        return features.Length / featureCount;
    }
}

/// <summary>
/// Standardizes every feature to mean 0 and standard deviation 1: <c>x' = (x - mean) / std</c>, with the
/// population standard deviation (divisor <c>n</c>, as scikit-learn's <c>StandardScaler</c>). A constant feature
/// (standard deviation 0) gets standard deviation 1, so it is only centered rather than divided by zero.
/// Statistics are accumulated in <see cref="double"/>.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Standardizer<T> : FeatureScaler<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private Standardizer(T[] mean, T[] standardDeviation)
        : base(mean, standardDeviation)
    {
    }

    /// <summary>The mean of each feature.</summary>
    public ReadOnlySpan<T> Mean => Shift;

    /// <summary>The standard deviation of each feature (1 for constant features).</summary>
    public ReadOnlySpan<T> StandardDeviation => Scale;

    /// <summary>Fits the means and standard deviations of <paramref name="dataset"/>'s features.</summary>
    public static Standardizer<T> Fit(Dataset<T> dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return Fit(dataset.AllFeatures, dataset.FeatureCount);
    }

    /// <summary>Fits the means and standard deviations of feature vectors stored sample after sample.</summary>
    /// <param name="features">A positive multiple of <paramref name="featureCount"/> values.</param>
    /// <param name="featureCount">Features per sample.</param>
    public static Standardizer<T> Fit(ReadOnlySpan<T> features, int featureCount)
    {
        int count = CheckFit(features, featureCount);
        var sums = new double[featureCount];
        for (int start = 0; start < features.Length; start += featureCount)
        {
            for (int j = 0; j < featureCount; j++)
            {
                sums[j] += double.CreateTruncating(features[start + j]);
            }
        }

        var means = new double[featureCount];
        for (int j = 0; j < featureCount; j++)
        {
            means[j] = sums[j] / count;
        }

        // A second pass over the centered values avoids the cancellation of E[x²] - E[x]².
        var squares = new double[featureCount];
        for (int start = 0; start < features.Length; start += featureCount)
        {
            for (int j = 0; j < featureCount; j++)
            {
                double centered = double.CreateTruncating(features[start + j]) - means[j];
                squares[j] += centered * centered;
            }
        }

        var mean = new T[featureCount];
        var standardDeviation = new T[featureCount];
        for (int j = 0; j < featureCount; j++)
        {
            mean[j] = T.CreateTruncating(means[j]);
            T deviation = T.CreateTruncating(Math.Sqrt(squares[j] / count));
            standardDeviation[j] = deviation == T.Zero ? T.One : deviation;
        }

        return new Standardizer<T>(mean, standardDeviation);
    }
}

/// <summary>
/// Scales every feature linearly so that its minimum in the fitted data maps to 0 and its maximum to 1:
/// <c>x' = (x - min) / (max - min)</c>. Values outside the fitted range map outside [0, 1]. A constant feature
/// (max = min) gets range 1, so it maps to 0.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class MinMaxScaler<T> : FeatureScaler<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private MinMaxScaler(T[] minimum, T[] range)
        : base(minimum, range)
    {
    }

    /// <summary>The minimum of each feature in the fitted data.</summary>
    public ReadOnlySpan<T> Minimum => Shift;

    /// <summary>The range (max - min) of each feature in the fitted data (1 for constant features).</summary>
    public ReadOnlySpan<T> Range => Scale;

    /// <summary>Fits the minimum and maximum of <paramref name="dataset"/>'s features.</summary>
    public static MinMaxScaler<T> Fit(Dataset<T> dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return Fit(dataset.AllFeatures, dataset.FeatureCount);
    }

    /// <summary>Fits the minimum and maximum of feature vectors stored sample after sample.</summary>
    /// <param name="features">A positive multiple of <paramref name="featureCount"/> values.</param>
    /// <param name="featureCount">Features per sample.</param>
    public static MinMaxScaler<T> Fit(ReadOnlySpan<T> features, int featureCount)
    {
        CheckFit(features, featureCount);
        var minimum = features[..featureCount].ToArray();
        var maximum = features[..featureCount].ToArray();
        for (int start = featureCount; start < features.Length; start += featureCount)
        {
            for (int j = 0; j < featureCount; j++)
            {
                minimum[j] = T.Min(minimum[j], features[start + j]);
                maximum[j] = T.Max(maximum[j], features[start + j]);
            }
        }

        var range = new T[featureCount];
        for (int j = 0; j < featureCount; j++)
        {
            T width = maximum[j] - minimum[j];
            range[j] = width == T.Zero ? T.One : width;
        }

        return new MinMaxScaler<T>(minimum, range);
    }
}
