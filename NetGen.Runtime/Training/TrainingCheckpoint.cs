using System.Numerics;
using System.Runtime.InteropServices;

namespace NetGen;

/// <summary>
/// Everything a <see cref="Trainer{T}"/> needs, besides the network's parameters, to continue a <c>Fit</c> call
/// exactly where it stopped: the position in the epoch (the shuffled sample order and the next batch), the random
/// generator of shuffling and dropout, the optimizer's state and step count, the learning rate (the schedule's
/// position is the epoch), the per-layer norm sums and the progress of early stopping and the stopping rules.
/// </summary>
/// <remarks>
/// <para>
/// Take one with <see cref="Trainer{T}.CaptureCheckpoint"/> after <c>Fit</c> returned or was canceled, save it with
/// the parameters using <see cref="ModelFile.Save{T}(INetwork{T}, string, TrainingCheckpoint{T}?)"/>, and continue with
/// <see cref="ModelFile.LoadCheckpoint{T}"/> and <see cref="Trainer{T}.RestoreCheckpoint"/> on a trainer created
/// with the same settings. The resumed run ends with the same bits as a run that was never interrupted.
/// </para>
/// <para>The checkpoint is a snapshot: it copies the trainer's state and does not change afterwards.</para>
/// </remarks>
/// <typeparam name="T">The element type of the network and the optimizer.</typeparam>
public sealed class TrainingCheckpoint<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The version of the binary layout of <see cref="Write"/>, inside a model file of format version 2.</summary>
    private const int LayoutVersion = 1;

    internal TrainingCheckpoint(int epoch, int nextSample, int batchSize, int seed, string optimizerName, long stepCount, double learningRate)
    {
        Epoch = epoch;
        NextSample = nextSample;
        BatchSize = batchSize;
        Seed = seed;
        OptimizerName = optimizerName;
        StepCount = stepCount;
        LearningRate = learningRate;
    }

    /// <summary>The 1-based epoch the resumed <c>Fit</c> continues with (the interrupted one, or the one after the last).</summary>
    public int Epoch { get; }

    /// <summary>The position in <see cref="Epoch"/>'s sample order of the next batch's first sample; 0 at the start of an epoch.</summary>
    public int NextSample { get; }

    /// <summary>The trainer's batch size, which the resuming trainer must have too.</summary>
    public int BatchSize { get; }

    /// <summary>The trainer's seed (informational: the random generator's state itself is saved).</summary>
    public int Seed { get; }

    /// <summary>The optimizer's type name, e.g. <c>Adam</c>; the resuming trainer's optimizer must be of this type.</summary>
    public string OptimizerName { get; }

    /// <summary>The optimizer steps taken so far.</summary>
    public long StepCount { get; }

    /// <summary>The optimizer's learning rate when the checkpoint was taken.</summary>
    public double LearningRate { get; }

    /// <summary>The number of training samples (the length of the sample order).</summary>
    public int SampleCount => Order.Length;

    internal ulong[] RandomState { get; init; } = [];

    internal int[] Order { get; init; } = [];

    internal bool EpochStarted { get; init; }

    internal int BatchesDone { get; init; }

    internal double LossSum { get; init; }

    internal double[] GradientNormSums { get; init; } = [];

    internal T[][] OptimizerState { get; init; } = [];

    internal StoppingRuleTracker[] Trackers { get; init; } = [];

    internal double EarlyStoppingBestLoss { get; init; } = double.PositiveInfinity;

    internal int EarlyStoppingBestEpoch { get; init; }

    internal int EarlyStoppingEpochsWithoutImprovement { get; init; }

    internal T[] BestParameters { get; init; } = [];

    /// <summary>Writes the checkpoint in a little-endian binary layout.</summary>
    internal void Write(BinaryWriter writer)
    {
        writer.Write(LayoutVersion);
        writer.Write(Epoch);
        writer.Write(NextSample);
        writer.Write(BatchSize);
        writer.Write(Seed);
        writer.Write(OptimizerName);
        writer.Write(StepCount);
        writer.Write(LearningRate);
        foreach (ulong word in RandomState)
        {
            writer.Write(word);
        }

        WriteInts(writer, Order);
        writer.Write(EpochStarted);
        writer.Write(BatchesDone);
        writer.Write(LossSum);
        writer.Write(GradientNormSums.Length);
        foreach (double sum in GradientNormSums)
        {
            writer.Write(sum);
        }

        writer.Write(OptimizerState.Length);
        foreach (var buffer in OptimizerState)
        {
            WriteElements(writer, buffer);
        }

        writer.Write(Trackers.Length);
        foreach (var tracker in Trackers)
        {
            writer.Write(tracker.BestLoss);
            writer.Write(tracker.BestEpoch);
            writer.Write(tracker.EpochsWithoutImprovement);
        }

        writer.Write(EarlyStoppingBestLoss);
        writer.Write(EarlyStoppingBestEpoch);
        writer.Write(EarlyStoppingEpochsWithoutImprovement);
        WriteElements(writer, BestParameters);
    }

    /// <summary>Reads what <see cref="Write"/> wrote; throws <see cref="InvalidDataException"/> on anything inconsistent.</summary>
    internal static TrainingCheckpoint<T> Read(BinaryReader reader, int parameterCount)
    {
        int layout = reader.ReadInt32();
        if (layout != LayoutVersion)
        {
            throw new InvalidDataException($"the training state has layout version {layout}; this NetGen reads version {LayoutVersion}.");
        }

        int epoch = Positive(reader.ReadInt32(), "epoch");
        int nextSample = NotNegative(reader.ReadInt32(), "next sample");
        int batchSize = Positive(reader.ReadInt32(), "batch size");
        int seed = reader.ReadInt32();
        string optimizerName = reader.ReadString();
        long stepCount = reader.ReadInt64();
        double learningRate = reader.ReadDouble();
        var randomState = new ulong[4];
        for (int i = 0; i < randomState.Length; i++)
        {
            randomState[i] = reader.ReadUInt64();
        }

        int[] order = ReadInts(reader);
        bool epochStarted = reader.ReadBoolean();
        int batchesDone = NotNegative(reader.ReadInt32(), "batches done");
        double lossSum = reader.ReadDouble();
        var normSums = new double[Count(reader, 1 << 20, "norm sums")];
        for (int i = 0; i < normSums.Length; i++)
        {
            normSums[i] = reader.ReadDouble();
        }

        var optimizerState = new T[Count(reader, 16, "optimizer state arrays")][];
        for (int i = 0; i < optimizerState.Length; i++)
        {
            optimizerState[i] = ReadElements(reader, parameterCount, exact: true);
        }

        var trackers = new StoppingRuleTracker[Count(reader, 1 << 16, "stopping rules")];
        for (int i = 0; i < trackers.Length; i++)
        {
            trackers[i] = new StoppingRuleTracker { BestLoss = reader.ReadDouble(), BestEpoch = reader.ReadInt32(), EpochsWithoutImprovement = reader.ReadInt32() };
        }

        double bestLoss = reader.ReadDouble();
        int bestEpoch = reader.ReadInt32();
        int withoutImprovement = reader.ReadInt32();
        var bestParameters = ReadElements(reader, parameterCount, exact: false);
        if (nextSample > order.Length || stepCount < 0)
        {
            throw new InvalidDataException($"the training state is inconsistent (next sample {nextSample} of {order.Length}, {stepCount} steps).");
        }

        return new TrainingCheckpoint<T>(epoch, nextSample, batchSize, seed, optimizerName, stepCount, learningRate)
        {
            RandomState = randomState,
            Order = order,
            EpochStarted = epochStarted,
            BatchesDone = batchesDone,
            LossSum = lossSum,
            GradientNormSums = normSums,
            OptimizerState = optimizerState,
            Trackers = trackers,
            EarlyStoppingBestLoss = bestLoss,
            EarlyStoppingBestEpoch = bestEpoch,
            EarlyStoppingEpochsWithoutImprovement = withoutImprovement,
            BestParameters = bestParameters,
        };
    }

    private static void WriteInts(BinaryWriter writer, int[] values)
    {
        writer.Write(values.Length);
        foreach (int value in values)
        {
            writer.Write(value);
        }
    }

    private static int[] ReadInts(BinaryReader reader)
    {
        var values = new int[Count(reader, int.MaxValue, "samples")];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = reader.ReadInt32();
        }

        return values;
    }

    /// <summary>Writes the length and the elements as float or double (BinaryWriter writes little-endian on every machine).</summary>
    private static void WriteElements(BinaryWriter writer, T[] values)
    {
        writer.Write(values.Length);
        if (typeof(T) == typeof(float))
        {
            foreach (float value in MemoryMarshal.Cast<T, float>(values))
            {
                writer.Write(value);
            }
        }
        else
        {
            foreach (double value in MemoryMarshal.Cast<T, double>(values))
            {
                writer.Write(value);
            }
        }
    }

    private static T[] ReadElements(BinaryReader reader, int parameterCount, bool exact)
    {
        int length = reader.ReadInt32();
        if (exact ? length != parameterCount : length != 0 && length != parameterCount)
        {
            throw new InvalidDataException($"the training state holds an array of {length} values where {parameterCount} (one per parameter) were expected.");
        }

        var values = new T[length];
        if (typeof(T) == typeof(float))
        {
            var span = MemoryMarshal.Cast<T, float>(values.AsSpan());
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = reader.ReadSingle();
            }
        }
        else
        {
            var span = MemoryMarshal.Cast<T, double>(values.AsSpan());
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = reader.ReadDouble();
            }
        }

        return values;
    }

    private static int Count(BinaryReader reader, int maximum, string what)
    {
        int count = reader.ReadInt32();
        if (count < 0 || count > maximum)
        {
            throw new InvalidDataException($"the training state's count of {what} is {count}.");
        }

        return count;
    }

    private static int Positive(int value, string what) =>
        value > 0 ? value : throw new InvalidDataException($"the training state's {what} is {value}; it must be positive.");

    private static int NotNegative(int value, string what) =>
        value >= 0 ? value : throw new InvalidDataException($"the training state's {what} is {value}; it must not be negative.");
}
