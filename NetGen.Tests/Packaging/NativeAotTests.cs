using System.Text.RegularExpressions;
using System.Xml.Linq;
using NetGen.Tests.Infrastructure;

namespace NetGen.Tests.Packaging;

/// <summary>
/// What makes <c>dotnet publish NetGen.Sample -c Release -r linux-x64 -p:PublishAot=true</c> warning-free: generated
/// networks use no reflection or run-time code generation, and the projects that ship or host them build with the
/// trim and AOT analyzers on (so any such use would be a build error, warnings being errors).
/// </summary>
public partial class NativeAotTests
{
    [Fact]
    public void GeneratedNetworksUseNoReflectionOrRuntimeCodeGeneration()
    {
        var snapshots = Directory.GetFiles(Path.Combine(ExternalProcess.RepositoryRoot(), "NetGen.Tests", "Snapshots"), "*.verified.cs");
        Assert.NotEmpty(snapshots);
        foreach (string file in snapshots)
        {
            string code = File.ReadAllText(file);
            var match = ReflectionUse().Match(code);
            Assert.False(match.Success, $"{Path.GetFileName(file)} uses '{match.Value}'");
        }
    }

    [Theory]
    [InlineData("NetGen.Runtime/NetGen.Runtime.csproj", "IsAotCompatible")]
    [InlineData("NetGen.Mpi/NetGen.Mpi.csproj", "IsAotCompatible")]
    [InlineData("NetGen.Sample/NetGen.Sample.csproj", "EnableAotAnalyzer")]
    [InlineData("NetGen.Sample/NetGen.Sample.csproj", "EnableTrimAnalyzer")]
    public void TheAnalyzersAreOn(string project, string property)
    {
        var document = XDocument.Load(Path.Combine(ExternalProcess.RepositoryRoot(), project));
        Assert.Contains(document.Descendants(property), e => e.Value == "true");
    }

    // Reflection, emitted IL, expression compilation, dynamic, and run-time type lookup.
    [GeneratedRegex(@"System\.Reflection|Reflection\.Emit|Activator\.|\.GetMethod\(|\.GetProperty\(|\.GetField\(|Type\.GetType\(|MakeGenericType|Expression\.Lambda|\.Compile\(\)|\bdynamic\b")]
    private static partial Regex ReflectionUse();
}
