using NetGen.Generator.Emit;

namespace NetGen.Tests.Generator;

/// <summary>
/// Unrolled steps keep each element they assign in a local that later steps of the same scope read
/// (<c>OpSite.StoreElement</c>): the bookkeeping of which element a local still holds, which generated code relies on
/// for reading the right value (the snapshots and the gradient checks show the results).
/// </summary>
public class ElementLocalsTests
{
    [Fact]
    public void AnAssignedElementIsReadFromItsLocal_AndFromMemoryOnceForgotten()
    {
        var scope = new OpSite.DeclarationScope();
        var writer = new CodeWriter();

        Assert.Equal("dz1_0", scope.Keep("dz1", 0, "float", "da1[0] * 2f", writer));
        scope.Keep("dz1", 1, "float", "da1[1] * 2f", writer);
        scope.Keep("dz2", 0, "float", "1f", writer);

        Assert.Equal("dz1_0", scope.Element("dz1", 0));
        Assert.Equal("dz1[2]", scope.Element("dz1", 2));
        scope.Forget("dz1", 0);
        Assert.Equal("dz1[0]", scope.Element("dz1", 0));
        Assert.Equal("dz1_1", scope.Element("dz1", 1));

        // A span handed out for writing forgets all of its elements, and only its own.
        scope.Forget("dz1");
        Assert.Equal("dz1[1]", scope.Element("dz1", 1));
        Assert.Equal("dz2_0", scope.Element("dz2", 0));
    }

    [Fact]
    public void AnElementAssignedAgain_ReusesItsLocal()
    {
        var scope = new OpSite.DeclarationScope();
        var writer = new CodeWriter();

        scope.Keep("a1", 0, "double", "x[0]", writer);
        scope.Forget("a1");
        scope.Keep("a1", 0, "double", "x[1]", writer);

        Assert.Equal(["double a1_0 = x[0];", "a1_0 = x[1];"], writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal("a1_0", scope.Element("a1", 0));
    }
}
