using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator;

namespace NetGen.Benchmarks;

/// <summary>
/// The generator's own cost: one full run (parse, graph, derive, emit) of CSharpGeneratorDriver on W4 and on a
/// 10-layer network, as the compiler runs it on a clean build. The size of the generated source is printed by
/// `compare` (see <see cref="GeneratedSize"/>).
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    /// <summary>W4's declaration.</summary>
    public const string W4Source = """
        using NetGen;
        namespace Bench;
        [Network(Inputs = 784, Loss = Loss.SoftmaxCrossEntropy)]
        [Dense(512, Activation.ReLU)]
        [Dense(512, Activation.ReLU)]
        [Dense(512, Activation.ReLU)]
        [Dense(10)]
        public partial class W4Deep;
        """;

    /// <summary>A 10-layer network mixing unrolled and batched layers, with dropout.</summary>
    public const string TenLayerSource = """
        using NetGen;
        namespace Bench;
        [Network(Inputs = 32, Loss = Loss.SoftmaxCrossEntropy)]
        [Dense(64, Activation.ReLU)]
        [Dropout(0.2)]
        [Dense(64, Activation.Tanh)]
        [Dense(48, Activation.Sigmoid)]
        [Dense(32, Activation.LeakyReLU)]
        [Dense(8, Activation.Softplus)]
        [Dense(6, Activation.Tanh)]
        [Dense(6, Activation.ReLU)]
        [Dense(6, Activation.Sigmoid)]
        [Dense(4)]
        public partial class TenLayers;
        """;

    private CSharpCompilation _w4 = null!, _tenLayers = null!;

    [GlobalSetup]
    public void Setup()
    {
        _w4 = Compile(W4Source);
        _tenLayers = Compile(TenLayerSource);
    }

    [Benchmark(Description = "generator on W4")]
    public int W4() => Run(_w4);

    [Benchmark(Description = "generator on a 10-layer network")]
    public int TenLayers() => Run(_tenLayers);

    /// <summary>Characters of C# the generator writes for <paramref name="source"/>.</summary>
    public static int GeneratedSize(string source) => Run(Compile(source));

    private static int Run(CSharpCompilation compilation)
    {
        var driver = CSharpGeneratorDriver.Create(new NetworkGenerator()).RunGenerators(compilation);
        return driver.GetRunResult().GeneratedTrees.Sum(t => t.Length);
    }

    private static CSharpCompilation Compile(string source)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) == "netstandard.dll")
            .Append(typeof(NetGen.NetworkAttribute).Assembly.Location)
            .Select(p => MetadataReference.CreateFromFile(p));
        return CSharpCompilation.Create("Bench", [CSharpSyntaxTree.ParseText(source)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
    }
}
