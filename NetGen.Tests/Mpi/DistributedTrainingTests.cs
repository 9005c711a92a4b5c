using System.Numerics.Tensors;
using NetGen.Tests.Infrastructure;
using NetGen.Sample;
using NetGen.Sample.Runs;

namespace NetGen.Tests.Mpi;

/// <summary>
/// A test that needs Open MPI's <c>mpiexec</c>: skipped, saying why, when it is not installed on a developer's
/// machine, but never under CI (CI=true), where .ci/run installs it and a missing mpiexec must fail the run.
/// </summary>
public sealed class MpiFactAttribute : FactAttribute
{
    /// <summary>Creates the attribute.</summary>
    public MpiFactAttribute()
    {
        if (DistributedTrainingTests.MpiExec is null && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = "mpiexec is not on PATH: install Open MPI (apt-get install -y openmpi-bin libopenmpi-dev; .ci/run does).";
        }
    }
}

/// <summary>
/// Runs the sample's <c>distributed</c> command under <c>mpiexec</c> (digits, global batch 32, two epochs, Adam) and
/// checks what <see cref="NetGen.Mpi.DistributedTrainer{T}"/> claims: one rank is bit-identical to <see cref="Trainer{T}"/>;
/// two ranks hold bit-identical replicas equal, bit for bit, to an in-process computation of the same arithmetic
/// (each half-batch's summed gradient, the two added, then the mean's step), and agree with one process to float rounding.
/// </summary>
public class DistributedTrainingTests
{
    private const int Epochs = 2;
    private const int GlobalBatch = 32;
    private const int Seed = 42;
    private const double LearningRate = 0.003;

    /// <summary>The path of mpiexec, or null when Open MPI is not installed.</summary>
    public static string? MpiExec { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(folder => Path.Combine(folder, "mpiexec"))
        .FirstOrDefault(File.Exists);

    [MpiFact]
    public void OneRankIsBitIdenticalToTheTrainer()
    {
        var (output, model) = RunDistributed(ranks: 1);
        Assert.Single(Fingerprints(output));

        var (train, _, _) = SampleData.LoadDigits();
        var expected = new DigitsNet(Seed);
        using (var trainer = new Trainer<float>(expected, new Adam<float>(LearningRate), GlobalBatch, Seed))
        {
            trainer.Fit(train, Epochs);
        }

        Assert.Equal(expected.Parameters.ToArray(), model.Parameters.ToArray());
    }

    [MpiFact]
    public void TwoRanksSumTheirHalfBatchGradientsAndStayIdentical()
    {
        var (output, model) = RunDistributed(ranks: 2);

        // Both replicas hold the same weights, bit for bit, and they are the ones rank 0 saved.
        var fingerprints = Fingerprints(output);
        Assert.Equal(2, fingerprints.Count);
        Assert.Equal(fingerprints[0], fingerprints[1]);
        Assert.Equal(DistributedRun.Fingerprint(model.Parameters), fingerprints[0]);

        // The same arithmetic in one process: the shuffled order of Trainer's random sequence, each global batch cut
        // into two halves, each half's summed gradient computed alone, the two added in float, divided, one step.
        var (train, _, _) = SampleData.LoadDigits();
        var reference = new DigitsNet(Seed);
        var optimizer = new Adam<float>(LearningRate);
        optimizer.Initialize(DigitsNet.ParameterCount);
        var random = new DeterministicRandom(Seed);
        var order = Enumerable.Range(0, train.Count).ToArray();
        var halves = new[] { new float[DigitsNet.ParameterCount], new float[DigitsNet.ParameterCount] };
        var sum = new float[DigitsNet.ParameterCount];
        using var engine = new ParallelGradient<float>(reference, GlobalBatch / 2, threads: 1);
        for (int epoch = 0; epoch < Epochs; epoch++)
        {
            random.Shuffle(order.AsSpan());
            for (int first = 0; first < order.Length; first += GlobalBatch)
            {
                int count = Math.Min(GlobalBatch, order.Length - first);
                int middle = count / 2;
                HalfGradient(engine, train, order.AsSpan(first, middle), halves[0]);
                HalfGradient(engine, train, order.AsSpan(first + middle, count - middle), halves[1]);
                TensorPrimitives.Add(halves[0], halves[1], sum);
                TensorPrimitives.Divide(sum, count, sum);
                optimizer.Step(reference.Parameters, sum);
            }
        }

        Assert.Equal(reference.Parameters.ToArray(), model.Parameters.ToArray());

        // Against one process the only difference is the order of the additions: float rounding, not a different model.
        var single = new DigitsNet(Seed);
        using (var trainer = new Trainer<float>(single, new Adam<float>(LearningRate), GlobalBatch, Seed))
        {
            trainer.Fit(train, Epochs);
        }

        float largest = 0;
        for (int i = 0; i < DigitsNet.ParameterCount; i++)
        {
            largest = Math.Max(largest, Math.Abs(single.Parameters[i] - model.Parameters[i]));
        }

        Assert.True(largest < 1e-4f, $"two ranks differ from one process by up to {largest}");
    }

    private static void HalfGradient(ParallelGradient<float> engine, Dataset<float> train, ReadOnlySpan<int> samples, float[] gradient)
    {
        var inputs = new float[samples.Length * train.FeatureCount];
        var targets = new float[samples.Length * train.TargetCount];
        for (int i = 0; i < samples.Length; i++)
        {
            train.Features(samples[i]).CopyTo(inputs.AsSpan(i * train.FeatureCount));
            train.Targets(samples[i]).CopyTo(targets.AsSpan(i * train.TargetCount));
        }

        engine.Compute(inputs, targets, gradient, training: true, dropoutSeed: 0);
    }

    /// <summary>Each rank's line <c>rank r/P weights sha256 X</c> (a terminal escape may precede it), in rank order.</summary>
    private static List<string> Fingerprints(string output) =>
        System.Text.RegularExpressions.Regex.Matches(output, "rank ([0-9]+)/[0-9]+ weights sha256 ([0-9a-f]{64})")
            .OrderBy(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .Select(m => m.Groups[2].Value)
            .ToList();

    /// <summary>Runs the sample's distributed command on <paramref name="ranks"/> processes; returns its output and rank 0's model.</summary>
    private static (string Output, DigitsNet Model) RunDistributed(int ranks)
    {
        string sample = Path.Combine(AppContext.BaseDirectory, "NetGen.Sample.dll");
        string folder = Path.Combine(Path.GetTempPath(), "netgen-mpi-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            // --allow-run-as-root: CI runs as root, which Open MPI refuses by default.
            string output = ExternalProcess.Run(MpiExec!,
            [
                "--allow-run-as-root", "--oversubscribe", "-n", $"{ranks}",
                "dotnet", sample, "distributed", "--epochs", $"{Epochs}", "--batch-size", $"{GlobalBatch}", "--threads", "1",
                "--optimizer", "adam", "--learning-rate", $"{LearningRate}", "--seed", $"{Seed}", "--output", folder,
            ], timeout: TimeSpan.FromMinutes(3));
            var model = new DigitsNet();
            ModelFile.Load(model, Path.Combine(folder, "digits-distributed.ngm"));
            return (output, model);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
