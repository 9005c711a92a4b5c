using NetGen.CompilerServices;

namespace NetGen.Tests.Kernels;

/// <summary>How the engine's and the team's threads wait: in place first only when every thread can have a core.</summary>
public sealed class PatientSpinTests
{
    [Fact]
    public void AGroupThatFitsTheCoresWaitsInPlaceFirst()
    {
        Assert.True(PatientSpin.For(1).WaitsInPlace);
        Assert.True(PatientSpin.For(Environment.ProcessorCount).WaitsInPlace);
    }

    [Fact]
    public void AGroupLargerThanTheCoresYieldsFromTheStart()
    {
        Assert.False(PatientSpin.For(Environment.ProcessorCount + 1).WaitsInPlace);
        Assert.False(default(PatientSpin).WaitsInPlace);
    }
}
