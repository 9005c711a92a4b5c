using System.Buffers.Binary;
using System.Runtime.InteropServices;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests.Persistence;

public sealed class ModelFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("netgen-model-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    private static byte[] Bits<T>(INetwork<T> network)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        => MemoryMarshal.AsBytes(network.Parameters).ToArray();

    private string SavedXorNet(string name = "xor.ngp")
    {
        string path = PathOf(name);
        ModelFile.Save(new XorNet(seed: 1), path);
        return path;
    }

    /// <summary>Loads <paramref name="path"/> into a fresh XorNet, expecting a failure, and checks the parameters did not change.</summary>
    private static ModelFileException LoadFails<T>(INetwork<T> target, string path, ModelFileError error, string fragment)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        byte[] before = Bits(target);
        var exception = Assert.Throws<ModelFileException>(() => ModelFile.Load(target, path));
        Assert.Equal(error, exception.Error);
        Assert.Equal(path, exception.FilePath);
        Assert.StartsWith(path + ": ", exception.Message);
        Assert.Contains(fragment, exception.Message);
        Assert.Equal(before, Bits(target));
        return exception;
    }

    [Fact]
    public void RoundTrip_Float_IsBitIdentical()
    {
        var source = new DigitsNet(seed: 1);
        string path = PathOf("digits.ngp");
        ModelFile.Save(source, path);

        var target = new DigitsNet(seed: 2);
        Assert.NotEqual(Bits(source), Bits(target));
        ModelFile.Load(target, path);
        Assert.Equal(Bits(source), Bits(target));
    }

    [Fact]
    public void RoundTrip_Double_KeepsSpecialValuesBitForBit()
    {
        var source = new XorNetDouble(seed: 1);
        source.Parameters[0] = -0.0;
        source.Parameters[1] = double.Epsilon;
        source.Parameters[2] = double.NegativeInfinity;
        source.Parameters[3] = BitConverter.Int64BitsToDouble(0x7FF8_0000_DEAD_BEEF);
        source.Parameters[8] = Math.PI;
        string path = PathOf("xor-double.ngp");
        ModelFile.Save(source, path);

        var target = new XorNetDouble(seed: 2);
        ModelFile.Load(target, path);
        Assert.Equal(Bits(source), Bits(target));
    }

    [Fact]
    public void Save_WritesTheDocumentedLayout()
    {
        string path = SavedXorNet();
        byte[] file = File.ReadAllBytes(path);
        string architecture = ModelFile.DescribeArchitecture(XorNet.NetworkDescription);

        Assert.Equal("NGPARAMS"u8.ToArray(), file[..8]);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(8)));
        Assert.Equal(4, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(10)));
        Assert.Equal(9, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(12)));
        Assert.Equal(ModelFile.ArchitectureHash(XorNet.NetworkDescription), file[16..48]);
        Assert.Equal("XorNet".Length, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(48)));
        Assert.Equal(architecture.Length, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(52)));
        Assert.Equal(file.Length, BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(56)));
        Assert.Equal(96 + 6 + architecture.Length + 9 * 4 + 32, file.Length);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(file.AsSpan(0, 64)), file[64..96]);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(file.AsSpan(0, file.Length - 32)), file[^32..]);

        int data = 96 + 6 + architecture.Length;
        var saved = new XorNet(seed: 1);
        Assert.Equal(saved.Parameters[0], BinaryPrimitives.ReadSingleLittleEndian(file.AsSpan(data)));
        Assert.Equal(saved.Parameters[8], BinaryPrimitives.ReadSingleLittleEndian(file.AsSpan(data + 32)));
    }

    [Fact]
    public void ReadInfo_DescribesTheFile()
    {
        var info = ModelFile.ReadInfo(SavedXorNet());
        Assert.Equal(1, info.Version);
        Assert.Equal(Precision.Single, info.Precision);
        Assert.Equal(9, info.ParameterCount);
        Assert.Equal("XorNet", info.NetworkName);
        Assert.Equal(
            "inputs 2; Dense 2->2 Sigmoid W1[2x2]@0 b1[1x2]@4; Dense 2->1 Sigmoid W2[1x2]@6 b2[1x1]@8; loss SquaredError; precision Single",
            info.Architecture);
        Assert.Equal(ModelFile.ArchitectureHash(XorNet.NetworkDescription), info.ArchitectureHash.ToArray());
    }

    [Fact]
    public void ArchitectureHash_IgnoresTheName_ButNotPrecisionActivationOrDropoutRate()
    {
        LayerDescription[] Layers(Activation activation, double rate) =>
        [
            new(1, LayerKind.Dense, 2, 3, activation, new("W1", 0, 3, 2), new("b1", 6, 1, 3)),
            new(2, LayerKind.Dropout, 3, 3, Activation.Identity, null, null, rate),
            new(3, LayerKind.Dense, 3, 1, Activation.Sigmoid, new("W2", 9, 1, 3), new("b2", 12, 1, 1)),
        ];

        var baseline = new NetworkDescription("A", 2, Loss.SquaredError, Precision.Single, Layers(Activation.Tanh, 0.25));
        var renamed = new NetworkDescription("B", 2, Loss.SquaredError, Precision.Single, Layers(Activation.Tanh, 0.25));
        var otherPrecision = new NetworkDescription("A", 2, Loss.SquaredError, Precision.Double, Layers(Activation.Tanh, 0.25));
        var otherActivation = new NetworkDescription("A", 2, Loss.SquaredError, Precision.Single, Layers(Activation.ReLU, 0.25));
        var otherRate = new NetworkDescription("A", 2, Loss.SquaredError, Precision.Single, Layers(Activation.Tanh, 0.5));
        var otherLoss = new NetworkDescription("A", 2, Loss.BinaryCrossEntropy, Precision.Single, Layers(Activation.Tanh, 0.25));

        Assert.Contains("; Dropout 3->3 rate 0.25;", ModelFile.DescribeArchitecture(baseline));
        byte[] hash = ModelFile.ArchitectureHash(baseline);
        Assert.Equal(32, hash.Length);
        Assert.Equal(hash, ModelFile.ArchitectureHash(renamed));
        Assert.NotEqual(hash, ModelFile.ArchitectureHash(otherPrecision));
        Assert.NotEqual(hash, ModelFile.ArchitectureHash(otherActivation));
        Assert.NotEqual(hash, ModelFile.ArchitectureHash(otherRate));
        Assert.NotEqual(hash, ModelFile.ArchitectureHash(otherLoss));
    }

    [Fact]
    public void Save_ReplacesAnExistingFile_AndLeavesNoTemporaryFiles()
    {
        string path = SavedXorNet();
        var second = new XorNet(seed: 5);
        ModelFile.Save(second, path);
        Assert.Equal([path], Directory.GetFiles(_directory));

        var target = new XorNet(seed: 6);
        ModelFile.Load(target, path);
        Assert.Equal(Bits(second), Bits(target));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(50)]
    [InlineData(95)]
    [InlineData(8000)]
    public void Save_FailingMidway_KeepsThePreviousFile(int failAfter)
    {
        string path = SavedXorNet();
        byte[] previous = File.ReadAllBytes(path);

        var exception = Assert.Throws<IOException>(() =>
            ModelFile.Save(new DigitsNet(seed: 9), path, stream => new FailingStream(stream, failAfter)));
        Assert.Equal("simulated disk failure", exception.Message);

        Assert.Equal(previous, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_directory));
        var target = new XorNet(seed: 7);
        ModelFile.Load(target, path);
        Assert.Equal(Bits(new XorNet(seed: 1)), Bits(target));
    }

    [Theory]
    [InlineData(0, "truncated: the file is empty.")]
    [InlineData(5, "truncated: the file has only 5 bytes, fewer than the 96-byte header.")]
    [InlineData(9, "truncated: the file has only 9 bytes")]
    [InlineData(60, "truncated: the file has only 60 bytes")]
    [InlineData(96, "truncated: the header declares 9 float (32-bit) parameters")]
    [InlineData(-33, "but the file ends after")]
    [InlineData(-1, "truncated: the header declares 9 float (32-bit) parameters")]
    public void Load_TruncatedFile_FailsAndSaysTruncated(int length, string fragment)
    {
        string path = SavedXorNet();
        byte[] file = File.ReadAllBytes(path);
        File.WriteAllBytes(path, file[..(length >= 0 ? length : file.Length + length)]);
        LoadFails(new XorNet(seed: 2), path, ModelFileError.Truncated, fragment);
    }

    [Theory]
    [InlineData(-40)] // a parameter
    [InlineData(-1)] // the checksum itself
    [InlineData(100)] // the network name
    [InlineData(110)] // the architecture text
    public void Load_FlippedDataByte_FailsWithAChecksumMismatch(int offset)
    {
        string path = SavedXorNet();
        byte[] file = File.ReadAllBytes(path);
        file[offset >= 0 ? offset : file.Length + offset] ^= 0x10;
        File.WriteAllBytes(path, file);
        LoadFails(new XorNet(seed: 2), path, ModelFileError.Corrupted, "corrupted: the checksum does not match the data");
    }

    [Theory]
    [InlineData(10)] // element size
    [InlineData(12)] // parameter count
    [InlineData(20)] // architecture hash
    [InlineData(48)] // name length
    [InlineData(56)] // file length
    [InlineData(70)] // the header checksum itself
    public void Load_FlippedHeaderByte_FailsWithAHeaderChecksumMismatch(int offset)
    {
        string path = SavedXorNet();
        byte[] file = File.ReadAllBytes(path);
        file[offset] ^= 0x01;
        File.WriteAllBytes(path, file);
        LoadFails(new XorNet(seed: 2), path, ModelFileError.Corrupted, "corrupted: the header checksum does not match");
    }

    [Fact]
    public void Load_ExtraBytesAfterTheEnd_FailsAsCorrupted()
    {
        string path = SavedXorNet();
        File.AppendAllText(path, "x");
        LoadFails(new XorNet(seed: 2), path, ModelFileError.Corrupted, "the file has 1 more after them");
    }

    [Fact]
    public void Load_NotANetGenFile()
    {
        string path = PathOf("weights.csv");
        File.WriteAllText(path, "0.1,0.2,0.3\n0.4,0.5,0.6\n");
        LoadFails(new XorNet(seed: 2), path, ModelFileError.NotAModelFile, "not a NetGen parameter file");

        File.WriteAllBytes(path, [1, 2, 3]);
        LoadFails(new XorNet(seed: 2), path, ModelFileError.NotAModelFile, "does not start with the magic bytes 'NGPARAMS'");
    }

    [Fact]
    public void Load_NewerFormatVersion()
    {
        string path = SavedXorNet();
        byte[] file = File.ReadAllBytes(path);
        file[8] = 3;
        File.WriteAllBytes(path, file);
        LoadFails(new XorNet(seed: 2), path, ModelFileError.UnsupportedVersion, "format version 3 is not supported; this NetGen reads versions 1 and 2");
    }

    [Fact]
    public void Load_OtherArchitecture_NamesBothNetworks()
    {
        // XorNetDouble and NotesNet both have 9 double parameters; NotesNet's output layer is linear.
        string path = PathOf("xor-double.ngp");
        ModelFile.Save(new XorNetDouble(seed: 1), path);
        var exception = LoadFails(new NotesNet(seed: 2), path, ModelFileError.ArchitectureMismatch, "architecture mismatch: the file was saved from XorNetDouble (inputs 2;");
        Assert.Contains("which differs from NotesNet (inputs 2;", exception.Message);
        Assert.Contains("Dense 2->1 Identity", exception.Message);
    }

    [Fact]
    public void Load_OtherParameterCount_NamesTheNetworkTheFileCameFrom()
    {
        string path = PathOf("digits.ngp");
        ModelFile.Save(new DigitsNet(seed: 1), path);
        var exception = LoadFails(new XorNet(seed: 2), path, ModelFileError.ParameterCountMismatch, "parameter count mismatch: the file holds 4810 parameters saved from DigitsNet (inputs 64;");
        Assert.Contains("but XorNet has 9", exception.Message);
    }

    [Fact]
    public void Load_OtherElementType()
    {
        string path = SavedXorNet();
        LoadFails(new XorNetDouble(seed: 2), path, ModelFileError.ElementTypeMismatch,
            "element type mismatch: the file holds float (32-bit) parameters (saved from XorNet), but XorNetDouble uses double (64-bit).");

        string doublePath = PathOf("xor-double.ngp");
        ModelFile.Save(new XorNetDouble(seed: 1), doublePath);
        LoadFails(new XorNet(seed: 2), doublePath, ModelFileError.ElementTypeMismatch, "the file holds double (64-bit) parameters");
    }

    /// <summary>Passes writes through until <c>failAfter</c> bytes, then throws, like a disk that fills up.</summary>
    private sealed class FailingStream(Stream inner, int failAfter) : Stream
    {
        private long _written;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            int allowed = (int)Math.Min(buffer.Length, Math.Max(0, failAfter - _written));
            inner.Write(buffer[..allowed]);
            _written += allowed;
            if (allowed < buffer.Length)
            {
                inner.Flush();
                throw new IOException("simulated disk failure");
            }
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
