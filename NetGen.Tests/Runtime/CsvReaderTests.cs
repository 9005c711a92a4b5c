using System.IO.Compression;
using System.Text;
using Xunit;

namespace NetGen.Tests.Runtime;

public sealed class CsvReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("netgen-csv-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string content)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Read_LabelInTheLastColumn_MakesOneHotTargets()
    {
        string path = Write("iris.csv", "a,b,class\n5.1, 3.5 ,0\n\n4.9,\"3.0\",2\n-1e-1,2,1.0\n");
        var data = CsvReader.Read<float>(path, new CsvOptions { HasHeader = true });
        Assert.Equal(3, data.Count);
        Assert.Equal(2, data.FeatureCount);
        Assert.Equal(3, data.ClassCount);
        Assert.Equal([4.9f, 3.0f], data.Features(1).ToArray());
        Assert.Equal([-0.1f, 2f], data.Features(2).ToArray());
        Assert.Equal([0f, 0f, 1f], data.Targets(1).ToArray());
        Assert.Equal(1, data.Label(2));
    }

    [Fact]
    public void Read_LabelColumnAndClassCount_AreHonored()
    {
        string path = Write("first.csv", "1;0.5;0.25\n0;1.5;2.5\n");
        var data = CsvReader.Read<double>(path, new CsvOptions { Separator = ';', LabelColumn = 0, ClassCount = 4 });
        Assert.Equal(4, data.TargetCount);
        Assert.Equal([0.5, 0.25], data.Features(0).ToArray());
        Assert.Equal(0, data.Label(1));
    }

    [Fact]
    public void Read_BinaryTarget_GivesOneZeroOrOneTarget()
    {
        string path = Write("xor.csv", "0,0,0\n0,1,1\n1,0,1\n1,1,0\n");
        var data = CsvReader.Read<double>(path, new CsvOptions { BinaryTarget = true });
        Assert.Equal(1, data.TargetCount);
        Assert.Equal([0.0, 1, 1, 0], data.AllTargets.ToArray());
    }

    [Fact]
    public void Read_TargetCount_ReadsNumericTargets()
    {
        string path = Write("regression.csv", "1,2,3,4\n5,6,7,8\n");
        var data = CsvReader.Read<double>(path, new CsvOptions { TargetCount = 2 });
        Assert.False(data.HasLabels);
        Assert.Equal([5.0, 6], data.Features(1).ToArray());
        Assert.Equal([7.0, 8], data.Targets(1).ToArray());
    }

    [Fact]
    public void Read_DetectsGzip()
    {
        string path = Path.Combine(_directory, "small.csv.gz");
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes("1,2,0\n3,4,1\n"));
        }

        var data = CsvReader.Read<float>(path);
        Assert.Equal([3f, 4f], data.Features(1).ToArray());
        Assert.Equal(2, data.ClassCount);
    }

    [Fact]
    public void Read_TheDigitsSample()
    {
        // The sample's data set: scikit-learn's 8x8 digits, 1797 rows of 64 pixels (0..16) and a label 0..9.
        using var stream = typeof(CsvReaderTests).Assembly.GetManifestResourceStream("digits.csv.gz")!;
        var data = CsvReader.Read<float>(stream, "digits.csv.gz");
        Assert.Equal(1797, data.Count);
        Assert.Equal(64, data.FeatureCount);
        Assert.Equal(10, data.ClassCount);
        Assert.Equal(16f, data.AllFeatures.ToArray().Max());
    }

    [Fact]
    public void BadNumber_NamesFileLineColumnAndText()
    {
        string path = Write("bad-number.csv", "x,y,label\n1,2,0\n1,abc,1\n");
        var error = Assert.Throws<DataFormatException>(() => CsvReader.Read<double>(path, new CsvOptions { HasHeader = true }));
        Assert.Contains("bad-number.csv", error.Message);
        Assert.Contains("line 3", error.Message);
        Assert.Contains("column 2", error.Message);
        Assert.Contains("'abc'", error.Message);
        Assert.Equal((3, 2, "abc"), (error.Line, error.Column, error.Text));
    }

    [Fact]
    public void NonFiniteNumber_IsAnError()
    {
        string path = Write("nan.csv", "NaN,1\n");
        var error = Assert.Throws<DataFormatException>(() => CsvReader.Read<double>(path));
        Assert.Contains("line 1, column 1: 'NaN' is not a finite number", error.Message);
    }

    [Fact]
    public void RaggedRow_NamesFileLineAndColumn()
    {
        string path = Write("ragged.csv", "1,2,0\n3,4,1\n5,6\n");
        var error = Assert.Throws<DataFormatException>(() => CsvReader.Read<double>(path));
        Assert.Contains("ragged.csv", error.Message);
        Assert.Contains("line 3", error.Message);
        Assert.Contains("column 3", error.Message);
        Assert.Contains("has 2 columns but the first row has 3", error.Message);
        Assert.Contains("'5,6'", error.Message);
    }

    [Fact]
    public void EmptyFile_NamesFileLineAndColumn()
    {
        string path = Write("empty.csv", "");
        var error = Assert.Throws<DataFormatException>(() => CsvReader.Read<double>(path));
        Assert.Contains("empty.csv", error.Message);
        Assert.Contains("line 1, column 1", error.Message);
        Assert.Contains("empty", error.Message);

        path = Write("header-only.csv", "a,b,label\n");
        error = Assert.Throws<DataFormatException>(() => CsvReader.Read<double>(path, new CsvOptions { HasHeader = true }));
        Assert.Contains("header-only.csv, line 2, column 1: there are no data rows after the header", error.Message);
    }

    [Fact]
    public void LabelOutOfRange_NamesFileLineColumnAndText()
    {
        string path = Write("labels.csv", "1,2,0\n3,4,3\n");
        var error = Assert.Throws<DataFormatException>(() => CsvReader.Read<double>(path, new CsvOptions { ClassCount = 3 }));
        Assert.Contains("labels.csv, line 2, column 3", error.Message);
        Assert.Contains("'3'", error.Message);
        Assert.Contains("[0, 2]", error.Message);

        path = Write("fractional.csv", "1,2,0.5\n");
        error = Assert.Throws<DataFormatException>(() => CsvReader.Read<double>(path));
        Assert.Contains("'0.5' is not a whole-number class label", error.Message);
    }

    [Fact]
    public void ConflictingOptions_AreRejected()
    {
        string path = Write("any.csv", "1,2\n");
        var error = Assert.Throws<ArgumentException>(() => CsvReader.Read<double>(path, new CsvOptions { TargetCount = 1, LabelColumn = 0 }));
        Assert.Equal("options", error.ParamName);
    }
}
