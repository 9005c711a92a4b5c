namespace NetGen.Tests.Training;

/// <summary>The gradient engine tests' minibatches: inputs uniform in [0, 1), one-hot targets, from a seed.</summary>
internal static class RandomBatch
{
    /// <summary><paramref name="count"/> samples of <paramref name="inputSize"/> inputs and one-hot targets of <paramref name="outputSize"/>.</summary>
    public static (float[] Inputs, float[] Targets) OneHot(int count, int inputSize, int outputSize, int seed)
    {
        var random = new DeterministicRandom(seed);
        var inputs = Enumerable.Range(0, count * inputSize).Select(_ => (float)random.NextDouble()).ToArray();
        var targets = new float[count * outputSize];
        for (int s = 0; s < count; s++)
        {
            targets[(s * outputSize) + random.NextInt32(outputSize)] = 1;
        }

        return (inputs, targets);
    }
}
