using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using NetGen.CompilerServices;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;
using NetGen.Tests.Infrastructure;
using NetGen.Tests.Networks;

namespace NetGen.Tests.Runtime;

/// <summary>
/// The buffers the kernels stream whole vectors through start on a 64-byte line (<see cref="AlignedBuffer{T}"/>): a
/// generated network's parameters, a workspace's buffer and the gradient engine's; and the generator lays
/// out each sample's region so that every value of a line or more starts on one, with a stride of whole lines.
/// </summary>
public partial class AlignmentTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(1000)]
    public void ABuffer_StartsOnALine_IsZeroed_AndHasItsLength(int length)
    {
        var floats = new AlignedBuffer<float>(length);
        var doubles = new AlignedBuffer<double>(length);

        Assert.Equal(length, floats.Length);
        Assert.Equal(length, floats.Span.Length);
        Assert.Equal(length, doubles.Span.Length);
        Assert.True(floats.Span.ToArray().All(v => v == 0));
        Assert.True(doubles.Span.ToArray().All(v => v == 0));
        if (length > 0)
        {
            Assert.Equal(0, AddressOf(floats.Span) % 64);
            Assert.Equal(0, AddressOf(doubles.Span) % 64);
        }
    }

    [Fact]
    public void ABuffer_StaysOnItsLine_WhenTheCollectorCompactsTheHeap()
    {
        var buffers = Enumerable.Range(1, 50).Select(n => new AlignedBuffer<float>(n * 7)).ToList();
        var garbage = Enumerable.Range(0, 1000).Select(n => new float[n]).ToList();
        garbage.Clear();

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);

        Assert.All(buffers, b => Assert.Equal(0, AddressOf(b.Span) % 64));
    }

    [Fact]
    public void TheDefaultBuffer_IsEmpty()
    {
        Assert.True(default(AlignedBuffer<float>).Span.IsEmpty);
        Assert.True(default(AlignedBuffer<float>).Memory.IsEmpty);
    }

    [Fact]
    public void ABuffersMemory_IsItsSpan()
    {
        var buffer = new AlignedBuffer<double>(37);
        buffer.Span[36] = 2.5;

        Assert.Equal(37, buffer.Memory.Length);
        Assert.Equal(AddressOf(buffer.Span), AddressOf(buffer.Memory.Span));
        Assert.Equal(2.5, buffer.Memory.Span[36]);
    }

    [Fact]
    public void TheLongestBuffer_IsTheLargestArrayLessTheElementsBeforeItsFirstLine()
    {
        Assert.Equal(Array.MaxLength - 15, AlignedBuffer<float>.MaxLength);
        Assert.Equal(Array.MaxLength - 7, AlignedBuffer<double>.MaxLength);

        // The generator refuses (NG0019) a network whose one sample would not fit such a buffer.
        Assert.Equal(AlignedBuffer<float>.MaxLength, WorkspaceLayout.MaxSampleStride(PrecisionKind.Single));
        Assert.Equal(AlignedBuffer<double>.MaxLength, WorkspaceLayout.MaxSampleStride(PrecisionKind.Double));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void ALengthOutOfRange_IsRefused(int length)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AlignedBuffer<float>(length));
        Assert.Equal("length", error.ParamName);
    }

    [Fact]
    public void AnElementWhoseSizeDoesNotDivideALine_IsRefused()
    {
        var error = Assert.Throws<NotSupportedException>(() => new AlignedBuffer<Twelve>(4));
        Assert.Equal("An aligned buffer holds elements whose size divides 64 bytes; Twelve has 12.", error.Message);
    }

    [Fact]
    public void AGeneratedNetworksParameters_AndItsWorkspace_StartOnALine()
    {
        var net = new DigitsNet(3);
        var workspace = net.CreateWorkspace(5);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);

        Assert.Equal(0, AddressOf(net.Parameters) % 64);
        Assert.Equal(0, AddressOf(WorkspaceAccess.Buffer(workspace)) % 64);
    }

    [Fact]
    public void ATrainersBatch_AndTheGradientItStepsWith_StartOnALine()
    {
        // DigitsNet's 64 inputs and 10 targets per sample; 7 samples a batch is one chunk, so the network sees the trainer's
        // batch from its first sample and the optimizer the trainer's whole gradient.
        var network = new AddressRecordingNetwork(new DigitsNet(3));
        var optimizer = new AddressRecordingOptimizer();
        var random = new DeterministicRandom(5);
        var inputs = Enumerable.Range(0, 20 * 64).Select(_ => (float)random.NextDouble()).ToArray();
        var targets = new float[20 * 10];
        for (int s = 0; s < 20; s++)
        {
            targets[(s * 10) + (s % 10)] = 1;
        }

        using var trainer = new Trainer<float>(network, optimizer, batchSize: 7, seed: 1, new TrainerOptions { Threads = 1 });
        trainer.Fit(new Dataset<float>(inputs, 64, targets, 10), epochs: 2);

        Assert.Equal(6, network.Inputs.Count);
        Assert.All(network.Inputs, address => Assert.Equal(0, address % 64));
        Assert.All(network.Targets, address => Assert.Equal(0, address % 64));
        Assert.Equal(6, optimizer.Gradients.Count);
        Assert.All(optimizer.Gradients, address => Assert.Equal(0, address % 64));
    }

    [Theory]
    // IrisNet: z1 [16] at 0, a1 [16] at 16, z2 [3] 32, p [3] 35, dz2 [3] 38, da1 [16] 48 (not 41), dz1 [16] 64: 80.
    [InlineData("[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy)] [Dense(16, Activation.Tanh)] [Dense(3)]", 80)]
    // DigitsNet: z1 [64] 0, a1 [64] 64, z2 [10] 128, p [10] 138, dz2 [10] 148, dz1 [64] 160 (not 158): 224.
    [InlineData("[Network(Inputs = 64, Loss = Loss.SoftmaxCrossEntropy)] [Dense(64, Activation.ReLU)] [Dense(10)]", 224)]
    // Doubles, 8 to a line: z1 [16] 0, a1 [16] 16, z2 [1] 32, a2 [1] 33, dz2 [1] 34, da1 [16] 40, dz1 [16] 56: 72.
    [InlineData("[Network(Inputs = 30, Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Dense(16, Activation.Tanh)] [Dense(1, Activation.Sigmoid)]", 72)]
    // 24-wide values (and the dropout's mask) each start a line; the 12- and 5-wide ones fill in behind them: 288.
    [InlineData("[Network(Inputs = 8, Loss = Loss.SoftmaxCrossEntropy)] [Dense(24, Activation.ReLU)] [Dropout(0.5)] [Dense(12, Activation.Tanh)] [Dense(5)]", 288)]
    // Nothing fills a line: packed as before, no padding (XorNet's 12).
    [InlineData("[Network(Inputs = 2, Loss = Loss.SquaredError)] [Dense(2, Activation.Sigmoid)] [Dense(1, Activation.Sigmoid)]", 12)]
    public void EachValueOfALineOrMore_StartsOnALine_AndTheStrideIsWholeLines(string attributes, int expectedStride)
    {
        bool isDouble = attributes.Contains("Precision.Double", StringComparison.Ordinal);
        int line = isDouble ? 8 : 16;
        string code = GeneratorHarness.Run("using NetGen;\nnamespace Demo;\n" + attributes + "\npublic partial class Net;\n").Source("Net.g.cs");
        var regions = RegionConstant().Matches(code).Select(m => (Name: m.Groups[1].Value, Offset: int.Parse(m.Groups[2].Value), Size: int.Parse(m.Groups[4].Value))).OrderBy(r => r.Offset).ToList();
        int stride = int.Parse(StrideConstant().Match(code).Groups[1].Value);

        Assert.NotEmpty(regions);
        Assert.Equal(expectedStride, stride);
        Assert.All(regions.Where(r => r.Size >= line), r => Assert.True(r.Offset % line == 0, $"{r.Name} at {r.Offset}"));
        for (int i = 1; i < regions.Count; i++)
        {
            Assert.True(regions[i - 1].Offset + regions[i - 1].Size <= regions[i].Offset, $"{regions[i - 1].Name} overlaps {regions[i].Name}");
        }

        Assert.True(regions[^1].Offset + regions[^1].Size <= stride);
        if (regions.Any(r => r.Size >= line))
        {
            Assert.Equal(0, stride % line);
        }
    }

    private static unsafe long AddressOf<T>(ReadOnlySpan<T> span)
        where T : unmanaged => (long)Unsafe.AsPointer(ref MemoryMarshal.GetReference(span));

    /// <summary>Records where the inputs and targets of every forward and backward pass start.</summary>
    private sealed class AddressRecordingNetwork(DigitsNet inner) : DelegatingNetwork<float>(inner)
    {
        public List<long> Inputs { get; } = [];

        public List<long> Targets { get; } = [];

        public override float ForwardBackward(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, Span<float> gradient, NetworkWorkspace<float> workspace)
        {
            Inputs.Add(AddressOf(inputs));
            Targets.Add(AddressOf(targets));
            return base.ForwardBackward(inputs, targets, gradient, workspace);
        }
    }

    /// <summary>Plain SGD that records where the gradient of every step starts.</summary>
    private sealed class AddressRecordingOptimizer() : Optimizer<float>(0.01)
    {
        public List<long> Gradients { get; } = [];

        protected internal override IReadOnlyList<float[]> StateBuffers => [];

        protected override void AllocateState(int parameterCount)
        {
        }

        protected override void ClearState()
        {
        }

        protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradient, int offset, long step)
        {
            Gradients.Add(AddressOf(gradient));
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i] -= 0.01f * gradient[i];
            }
        }
    }

    // "private const int Z1GradientOffset = 64;  // dz1 [16]"
    [GeneratedRegex(@"private const int (\w+)Offset = (\d+); +// (\S+) \[(\d+)\]")]
    private static partial Regex RegionConstant();

    [GeneratedRegex(@"private const int SampleStride = (\d+);")]
    private static partial Regex StrideConstant();

    [StructLayout(LayoutKind.Sequential, Size = 12)]
    private readonly struct Twelve;
}
