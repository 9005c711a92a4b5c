using System.Reflection;
using NetGen.CompilerServices;

namespace NetGen.Tests.Kernels;

/// <summary>
/// The kernel loops a prediction or a small network's step runs are compiled fully optimized at their first call
/// (<c>AggressiveOptimization</c>). As tier-0 code a W3 prediction took about 40 µs instead of 3 for its first thousands
/// of calls, and a W2 prediction averaged 1.2-1.7 µs over its first 100,000 against 64 ns: loops of a few hundred steps
/// never trigger on-stack replacement, so only call counting, a second or more later, replaced them.
/// </summary>
public class FirstCallCompilationTests
{
    public static TheoryData<Type, string> Kernels() => new()
    {
        { typeof(DenseKernels<,,>), "PackWeights" },
        { typeof(DenseKernels<,,>), "ForwardPacked" },
        { typeof(DenseKernels<,,>), "WholePanel" },
        { typeof(DenseKernels<,,>), "PanelVector" },
        { typeof(DenseKernels<,,>), "PanelScalar" },
        { typeof(DenseKernels<,,>), "ForwardOneSample" },
        { typeof(DenseKernels<,,>), "Dot1x8" },
        { typeof(DenseKernels<,,>), "Dot1x8FromAlignedLines" },
        { typeof(DenseKernels<,,>), "Dot1x4" },
        { typeof(DenseKernels<,,>), "Multiply" },
        { typeof(SampleDenseKernels<,,,>), "Forward" },
        { typeof(SampleDenseKernels<,,,>), "AccumulateWeightGradient" },
        { typeof(SampleDenseKernels<,,,>), "InputGradient" },
        { typeof(ActivationKernels<,,>), "Rectifier" },
        { typeof(ActivationKernels<,,>), "RectifierDerivative" },
        { typeof(ActivationKernels<,,>), "Tanh" },
        { typeof(ActivationKernels<,,>), "TanhDerivative" },
    };

    [Theory]
    [MemberData(nameof(Kernels))]
    public void TheLoopIsCompiledOptimizedAtItsFirstCall(Type kernels, string name)
    {
        var methods = kernels.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static).Where(m => m.Name == name).ToArray();
        Assert.NotEmpty(methods);
        Assert.All(methods, m => Assert.True(m.MethodImplementationFlags.HasFlag(MethodImplAttributes.AggressiveOptimization), $"{kernels.Name}.{name} starts as tier-0 code"));
    }
}
