using NetGen.Tests.Infrastructure;

namespace NetGen.Tests.Packaging;

/// <summary>
/// Packs the repository as a user would (<c>dotnet pack -c Release</c> at the root), checks that this yields
/// exactly the one NetGen package with complete metadata, then builds and runs a fresh consumer project outside the solution that
/// references it by version from a local folder: what a user gets from one PackageReference, with
/// nothing that project references inside the solution could hide (the analyzer path, the build props,
/// the runtime's dependencies).
/// </summary>
public class PackageConsumerTests
{
    private const string ConsumerProgram = """
        using NetGen;

        float[] inputs = [0, 0, 0, 1, 1, 0, 1, 1];
        float[] targets = [0, 1, 1, 0];
        var net = new XorNet(seed: 2);
        using var trainer = new Trainer<float>(net, new Sgd<float>(learningRate: 0.5), batchSize: 1, seed: 2);
        var history = trainer.Fit(new Dataset<float>(inputs, 2, targets, 1), epochs: 5000);
        Span<float> y = stackalloc float[XorNet.OutputSize];
        var predictions = new List<string>();
        for (int i = 0; i < 4; i++)
        {
            net.Predict(inputs.AsSpan(2 * i, 2), y);
            predictions.Add(MathF.Round(y[0]).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Console.WriteLine($"parameters {XorNet.ParameterCount}");
        Console.WriteLine($"converged {history.Last!.TrainingLoss < 1e-3}");
        Console.WriteLine($"xor {string.Join(" ", predictions)}");
        Console.WriteLine($"batched {typeof(XorNet).GetMethod("ForwardBatch", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static) is not null}");

        [Network(Inputs = 2, Loss = Loss.SquaredError)]
        [Dense(2, Activation.Sigmoid)]
        [Dense(1, Activation.Sigmoid)]
        public partial class XorNet;
        """;

    [Fact]
    public void PackedPackageBuildsAndTrainsInAFreshProject()
    {
        string root = ExternalProcess.RepositoryRoot();
        string work = Path.Combine(Path.GetTempPath(), "netgen-consumer-" + Guid.NewGuid().ToString("N")[..8]);
        string feed = Path.Combine(work, "feed");
        string consumer = Path.Combine(work, "Consumer");
        Directory.CreateDirectory(consumer);
        // A version of its own, so the NuGet cache can never serve an older package of the same number.
        string version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            // The solution, not the runtime project: every other project must decline to be packed.
            ExternalProcess.Run("dotnet", ["pack", "-c", "Release", "-o", feed, $"-p:Version={version}"], root);
            string[] packages = Directory.GetFiles(feed, "*.nupkg").Select(Path.GetFileName).ToArray()!;
            Assert.Equal([$"NetGen.{version}.nupkg"], packages);
            CheckPackageContents(Path.Combine(feed, packages[0]), version);

            File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                    <!-- Read by the generator through the package's build props (CompilerVisibleProperty): with a
                         threshold of 1, XOR's 4-weight layer is too large to unroll, so the batched kernels are used. -->
                    <NetGenUnrollThreshold>1</NetGenUnrollThreshold>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="NetGen" Version="{version}" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="netgen-local" value="{feed}" />
                  </packageSources>
                </configuration>
                """);
            // Keep the consumer out of the solution's Directory.Build.props and central package versions.
            File.WriteAllText(Path.Combine(work, "Directory.Build.props"), "<Project />");
            File.WriteAllText(Path.Combine(work, "Directory.Packages.props"), "<Project />");
            File.WriteAllText(Path.Combine(consumer, "Program.cs"), ConsumerProgram);

            string output = ExternalProcess.Run("dotnet", ["run", "-c", "Release"], consumer);
            Assert.Contains("parameters 9", output, StringComparison.Ordinal);
            Assert.Contains("converged True", output, StringComparison.Ordinal);
            Assert.Contains("xor 0 1 1 0", output, StringComparison.Ordinal);
            Assert.Contains("batched True", output, StringComparison.Ordinal);
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }

    /// <summary>The metadata a package page shows and the files a consumer's build needs.</summary>
    private static void CheckPackageContents(string package, string version)
    {
        using var archive = System.IO.Compression.ZipFile.OpenRead(package);
        var entries = archive.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("analyzers/dotnet/roslyn4.8/cs/NetGen.Generator.dll", entries);
        Assert.Contains("lib/net10.0/NetGen.Runtime.dll", entries);
        Assert.Contains("lib/net10.0/NetGen.Runtime.xml", entries);
        Assert.Contains("build/NetGen.props", entries);
        Assert.Contains("buildTransitive/NetGen.props", entries);
        Assert.Contains("README.md", entries);

        using var nuspecStream = archive.GetEntry("NetGen.nuspec")!.Open();
        var nuspec = System.Xml.Linq.XDocument.Load(nuspecStream);
        var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        System.Xml.Linq.XElement Element(string name) => metadata.Elements().Single(e => e.Name.LocalName == name);
        string Field(string name) => Element(name).Value;

        Assert.Equal("NetGen", Field("id"));
        Assert.Equal(version, Field("version"));
        Assert.Equal("MIT", Field("license"));
        Assert.Equal("expression", Element("license").Attribute("type")?.Value);
        Assert.Equal("README.md", Field("readme"));
        Assert.Contains("source-generator", Field("tags").Split(' '));
        Assert.False(string.IsNullOrWhiteSpace(Field("description")));
        Assert.False(string.IsNullOrWhiteSpace(Field("authors")));
        var repository = Element("repository");
        Assert.Equal("git", repository.Attribute("type")?.Value);
        Assert.Matches("^[0-9a-f]{40}$", repository.Attribute("commit")?.Value ?? "");

        // The generator is an analyzer, not a dependency; the runtime's one dependency is declared.
        var dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")!.Value).ToArray();
        Assert.Equal(["System.Numerics.Tensors"], dependencies);
    }
}
