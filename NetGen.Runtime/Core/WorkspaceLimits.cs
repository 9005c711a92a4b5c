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
}
