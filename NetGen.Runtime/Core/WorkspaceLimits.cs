using NetGen.CompilerServices;

namespace NetGen;

/// <summary>The largest batch a workspace or a dynamic graph can hold, given how many values each sample needs.</summary>
internal static class WorkspaceLimits
{
    /// <summary>
    /// As many samples as fit in the largest .NET array (<see cref="Array.MaxLength"/>, below <see cref="int.MaxValue"/>, so
    /// every index <c>s * SampleStride</c> of generated code fits in int): <see cref="int.MaxValue"/> when a sample needs nothing.
    /// </summary>
    /// <param name="valuesPerSample">Values one sample needs in one array; not negative.</param>
    public static int LargestBatch(long valuesPerSample) => LargestBatch(valuesPerSample, Array.MaxLength);

    /// <summary>As many samples as fit in an array of at most <paramref name="capacity"/> values (an aligned buffer's).</summary>
    /// <param name="valuesPerSample">Values one sample needs in one array; not negative.</param>
    /// <param name="capacity">The most values the array may hold.</param>
    public static int LargestBatch(long valuesPerSample, long capacity) =>
        valuesPerSample == 0 ? int.MaxValue : (int)Math.Min(int.MaxValue, capacity / valuesPerSample);

    /// <summary>
    /// A line-aligned buffer for <paramref name="samples"/> samples of <paramref name="valuesPerSample"/> values each (a
    /// trainer's copy of a batch's inputs or targets), refused before anything is allocated when it cannot be one array.
    /// </summary>
    /// <param name="samples">The most samples the buffer holds; positive.</param>
    /// <param name="valuesPerSample">Values per sample; not negative.</param>
    /// <param name="holder">What holds the samples, for the message ("batch", "process's shard").</param>
    /// <param name="values">What the values are, for the message ("input", "target").</param>
    /// <param name="parameterName">The argument the size came from.</param>
    /// <param name="actualValue">That argument's value.</param>
    /// <exception cref="ArgumentOutOfRangeException">The samples do not fit one aligned buffer.</exception>
    public static AlignedBuffer<T> BatchBuffer<T>(int samples, int valuesPerSample, string holder, string values, string parameterName, int actualValue)
        where T : unmanaged
    {
        long length = (long)samples * valuesPerSample;
        if (length > AlignedBuffer<T>.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                parameterName,
                actualValue,
                $"A {holder} of {samples} samples is copied into one array of {valuesPerSample} {values} values per sample ({length} in all), "
                + $"which can hold at most {AlignedBuffer<T>.MaxLength} (the largest .NET array less the values before its first cache line), "
                + $"so at most {LargestBatch(valuesPerSample, AlignedBuffer<T>.MaxLength)} samples fit. Use a smaller batch.");
        }

        return new AlignedBuffer<T>((int)length);
    }
}
