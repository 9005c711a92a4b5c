using System.Buffers.Binary;
using System.IO.Compression;
using Xunit;

namespace NetGen.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    // Three 2x3 images whose pixels are distinct and cover 0 and 255.
    private static readonly byte[] s_pixels =
    [
        0, 255, 10, 20, 30, 40,
        51, 102, 153, 204, 1, 2,
        3, 4, 5, 6, 7, 8,
    ];

    private static readonly byte[] s_labels = [7, 0, 9];

    private readonly string _directory = Directory.CreateTempSubdirectory("netgen-idx-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static byte[] Idx(int magic, int[] dimensions, ReadOnlySpan<byte> data)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dimensions[i]);
        }

        data.CopyTo(bytes.AsSpan(4 + 4 * dimensions.Length));
        return bytes;
    }

    private static byte[] Images(int declaredCount = 3, int length = -1) =>
        Idx(IdxReader.ImagesMagic, [declaredCount, 2, 3], length < 0 ? s_pixels : s_pixels.AsSpan(0, length));

    private static byte[] Labels(byte[]? labels = null, int? declaredCount = null)
    {
        labels ??= s_labels;
        return Idx(IdxReader.LabelsMagic, [declaredCount ?? labels.Length], labels);
    }

    private static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(raw);
        }

        return output.ToArray();
    }

    private string Write(string name, byte[] content)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static IdxFormatException ThrowsIdx(Action read, string fileName, string fragment)
    {
        var exception = Assert.Throws<IdxFormatException>(read);
        Assert.Contains(fileName, exception.Message);
        Assert.Contains(fragment, exception.Message);
        Assert.EndsWith(fileName, exception.SourceName);
        return exception;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadImages_RoundTripsRawAndGzip(bool compress)
    {
        string path = Write("images.idx", compress ? Gzip(Images()) : Images());
        var images = IdxReader.ReadImages(path);
        Assert.Equal(3, images.Count);
        Assert.Equal(2, images.Rows);
        Assert.Equal(3, images.Columns);
        Assert.Equal(6, images.PixelsPerImage);
        Assert.Equal(s_pixels, images.Pixels.ToArray());
        Assert.Equal(s_pixels.AsSpan(6, 6).ToArray(), images.Image(1).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => images.Image(3));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadLabels_RoundTripsRawAndGzip(bool compress)
    {
        string path = Write("labels.idx", compress ? Gzip(Labels()) : Labels());
        Assert.Equal([7, 0, 9], IdxReader.ReadLabels(path));
        Assert.Equal([7, 0, 9], IdxReader.ReadLabels(path, classCount: 10));
    }

    [Fact]
    public void Gzip_IsDetectedByMagicBytes_NotByExtension()
    {
        string gzipWithoutExtension = Write("train-images-idx3-ubyte", Gzip(Images()));
        string rawWithGzExtension = Write("train-labels-idx1-ubyte.gz", Labels());
        Assert.Equal(s_pixels, IdxReader.ReadImages(gzipWithoutExtension).Pixels.ToArray());
        Assert.Equal([7, 0, 9], IdxReader.ReadLabels(rawWithGzExtension));
    }

    [Fact]
    public void ReadImages_FromANonSeekableGzipStream()
    {
        using var stream = new ForwardOnlyStream(Gzip(Images()));
        var images = IdxReader.ReadImages(stream, "network");
        Assert.Equal(s_pixels, images.Pixels.ToArray());
    }

    [Fact]
    public void ReadDataset_ScalesPixelsAndMakesOneHotTargets()
    {
        string images = Write("t10k-images-idx3-ubyte.gz", Gzip(Images()));
        string labels = Write("t10k-labels-idx1-ubyte", Labels());
        var data = IdxReader.ReadDataset<float>(images, labels, classCount: 10);
        Assert.Equal(3, data.Count);
        Assert.Equal(6, data.FeatureCount);
        Assert.Equal(10, data.TargetCount);
        Assert.Equal(10, data.ClassCount);
        Assert.Equal([0f, 1f, 10 / 255f, 20 / 255f, 30 / 255f, 40 / 255f], data.Features(0).ToArray());
        Assert.Equal([0.2f, 0.4f, 0.6f, 0.8f, 1 / 255f, 2 / 255f], data.Features(1).ToArray());
        Assert.Equal(7, data.Label(0));
        Assert.Equal(9, data.Label(2));
        Assert.Equal([0f, 0, 0, 0, 0, 0, 0, 1, 0, 0], data.Targets(0).ToArray());
        Assert.Equal([1f, 0, 0, 0, 0, 0, 0, 0, 0, 0], data.Targets(1).ToArray());

        var doubles = IdxReader.ReadDataset<double>(images, labels, classCount: 10);
        Assert.Equal(153 / 255.0, doubles.Features(1)[2]);
    }

    [Fact]
    public void WrongMagic_LabelsFileReadAsImages_SaysWhichMagicWasExpectedAndFound()
    {
        string path = Write("train-images-idx3-ubyte.gz", Gzip(Labels()));
        var exception = ThrowsIdx(() => IdxReader.ReadImages(path), "train-images-idx3-ubyte.gz", "expected magic 0x00000803 (images), found 0x00000801 (labels)");
        Assert.Equal(0, exception.Offset);
    }

    [Fact]
    public void WrongMagic_ImagesFileReadAsLabels()
    {
        string path = Write("train-labels-idx1-ubyte", Images());
        ThrowsIdx(() => IdxReader.ReadLabels(path), "train-labels-idx1-ubyte", "expected magic 0x00000801 (labels), found 0x00000803 (images)");
    }

    [Fact]
    public void NotAnIdxFile()
    {
        string path = Write("images.csv", "1,2,3\n4,5,6\n"u8.ToArray());
        ThrowsIdx(() => IdxReader.ReadImages(path), "images.csv", "not an IDX file: expected magic 0x00000803 (images), found 0x312C322C");
    }

    [Fact]
    public void WrongDimensionCount()
    {
        string path = Write("images.idx", Idx(0x00000802, [3, 6], s_pixels));
        ThrowsIdx(() => IdxReader.ReadImages(path), "images.idx", "found 0x00000802: the file has 2 dimensions, but an image file has 3");
    }

    [Fact]
    public void UnsupportedElementType()
    {
        string path = Write("images.idx", Idx(0x00000D03, [3, 2, 3], s_pixels));
        ThrowsIdx(() => IdxReader.ReadImages(path), "images.idx", "the values are 32-bit floats (type 0x0D), but only unsigned bytes (0x08) are supported");
    }

    [Theory]
    [InlineData(0, "the file is empty")]
    [InlineData(3, "the file ends after 3 bytes")]
    public void TruncatedMagic(int length, string fragment)
    {
        string path = Write("images.idx", Images().AsSpan(0, length).ToArray());
        ThrowsIdx(() => IdxReader.ReadImages(path), "images.idx", fragment);
    }

    [Fact]
    public void TruncatedHeader()
    {
        string path = Write("images.idx", Images().AsSpan(0, 10).ToArray());
        ThrowsIdx(() => IdxReader.ReadImages(path), "images.idx", "truncated: the file ends inside the header, in dimension 1 (row count)");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TruncatedImages_SayHowManyImagesTheFileHolds(bool compress)
    {
        byte[] raw = Images(declaredCount: 5, length: 14);
        string path = Write("train-images-idx3-ubyte.gz", compress ? Gzip(raw) : raw);
        var exception = ThrowsIdx(() => IdxReader.ReadImages(path), "train-images-idx3-ubyte.gz",
            "truncated: the header declares 5 images of 2x3 but the file ends after 2 images and 2 of the 6 bytes of the next.");
        Assert.Equal(16 + 14, exception.Offset);
    }

    [Fact]
    public void TruncatedImages_OnAnImageBoundary()
    {
        string path = Write("images.idx", Images(declaredCount: 60000));
        ThrowsIdx(() => IdxReader.ReadImages(path), "images.idx", "the header declares 60000 images of 2x3 but the file ends after 3 images.");
    }

    [Fact]
    public void TruncatedGzipStream_IsAFormatError()
    {
        byte[] compressed = Gzip(Images());
        string path = Write("images.idx.gz", compressed.AsSpan(0, compressed.Length - 12).ToArray());
        var exception = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path));
        Assert.StartsWith(path + ": ", exception.Message);
    }

    [Fact]
    public void CorruptGzipData_IsAFormatError()
    {
        byte[] compressed = Gzip(Images());
        for (int i = 10; i < compressed.Length - 8; i++)
        {
            compressed[i] = 0xFF;
        }

        string path = Write("images.idx.gz", compressed);
        ThrowsIdx(() => IdxReader.ReadImages(path), "images.idx.gz", "the gzip-compressed data is corrupt");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TruncatedLabels(bool compress)
    {
        byte[] raw = Labels(declaredCount: 10000);
        string path = Write("train-labels-idx1-ubyte.gz", compress ? Gzip(raw) : raw);
        ThrowsIdx(() => IdxReader.ReadLabels(path), "train-labels-idx1-ubyte.gz", "truncated: the header declares 10000 labels but the file ends after 3 labels.");
    }

    [Fact]
    public void DataAfterTheDeclaredEnd()
    {
        string path = Write("images.idx", Images(declaredCount: 2));
        ThrowsIdx(() => IdxReader.ReadImages(path), "images.idx", "the header declares 2 images of 2x3, but the file has 6 more bytes after them.");
    }

    [Fact]
    public void EmptyImagesAreRejected()
    {
        string path = Write("images.idx", Idx(IdxReader.ImagesMagic, [3, 0, 3], []));
        ThrowsIdx(() => IdxReader.ReadImages(path), "images.idx", "declares images of 0x3 pixels");
    }

    [Fact]
    public void LabelOutOfRange()
    {
        string path = Write("labels.idx", Labels([1, 2, 12, 3]));
        var exception = ThrowsIdx(() => IdxReader.ReadLabels(path, classCount: 10), "labels.idx", "label 12 of item 2 is out of range: with 10 classes a label must be in [0, 9].");
        Assert.Equal(8 + 2, exception.Offset);
        Assert.Equal([1, 2, 12, 3], IdxReader.ReadLabels(path));
    }

    [Fact]
    public void ReadDataset_LabelOutOfRange()
    {
        string images = Write("images.idx", Images());
        string labels = Write("labels.idx", Labels([1, 2, 5]));
        ThrowsIdx(() => IdxReader.ReadDataset<float>(images, labels, classCount: 5), "labels.idx", "label 5 of item 2 is out of range");
    }

    [Fact]
    public void ReadDataset_CountMismatch_NamesBothFiles()
    {
        string images = Write("train-images.idx", Images());
        string labels = Write("train-labels.idx", Labels([1, 2]));
        var exception = ThrowsIdx(() => IdxReader.ReadDataset<float>(images, labels, classCount: 10), "train-labels.idx",
            "has 2 labels but");
        Assert.Contains($"{images} has 3 images", exception.Message);
    }

    [Fact]
    public void ClassCountMustFitInAByte()
    {
        string labels = Write("labels.idx", Labels());
        Assert.Throws<ArgumentOutOfRangeException>(() => IdxReader.ReadLabels(labels, classCount: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => IdxReader.ReadLabels(labels, classCount: 257));
    }

    /// <summary>A read-only stream that cannot seek, like a network stream.</summary>
    private sealed class ForwardOnlyStream(byte[] content) : Stream
    {
        private readonly MemoryStream _inner = new(content);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 5));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
