using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;

namespace NetGen;

/// <summary>
/// Reads IDX files, the format of MNIST, Fashion-MNIST and their relatives: image files
/// (magic <c>0x00000803</c>: unsigned bytes in 3 dimensions, count x rows x columns) and label files
/// (magic <c>0x00000801</c>: unsigned bytes in 1 dimension). All header integers are big-endian.
/// Gzip-compressed files are detected by their magic bytes (<c>1f 8b</c>), not by their extension, so the files
/// can be read as downloaded.
/// </summary>
/// <remarks>
/// Every problem in a file (a wrong magic number, a header that declares more data than the file holds, data
/// after the declared end, a label out of range, corrupt gzip data) throws an <see cref="IdxFormatException"/>
/// whose message names the file and says what was wrong. Memory is allocated as data arrives, never from the
/// header's counts alone, so a damaged header cannot request gigabytes.
/// </remarks>
public static class IdxReader
{
    /// <summary>The magic number of an image file: unsigned bytes (<c>0x08</c>) in 3 dimensions.</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>The magic number of a label file: unsigned bytes (<c>0x08</c>) in 1 dimension.</summary>
    public const int LabelsMagic = 0x00000801;

    private const int InitialBufferSize = 1 << 20;

    /// <summary>Reads an image file, raw or gzip-compressed.</summary>
    /// <param name="path">The file; error messages name it as given.</param>
    /// <exception cref="IdxFormatException">The file is not a valid IDX image file.</exception>
    public static IdxImages ReadImages(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var file = File.OpenRead(path);
        return ReadImages(file, path);
    }

    /// <summary>Reads an image file's content from a stream, raw or gzip-compressed. The stream is left open.</summary>
    /// <param name="stream">The content; read to its end.</param>
    /// <param name="sourceName">The name error messages use, for example the file name.</param>
    /// <exception cref="IdxFormatException">The content is not a valid IDX image file.</exception>
    public static IdxImages ReadImages(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        using var content = CompressedContent.Open(stream);
        var reader = new ContentReader(content, sourceName);
        reader.ReadMagic(ImagesMagic);
        int count = reader.ReadDimension(0, "image count");
        int rows = reader.ReadDimension(1, "row count");
        int columns = reader.ReadDimension(2, "column count");
        if (rows == 0 || columns == 0)
        {
            throw new IdxFormatException(sourceName, 8, $"the header declares images of {rows}x{columns} pixels; an image needs at least one row and one column.");
        }

        long pixelsPerImage = (long)rows * columns;
        long total = count * pixelsPerImage;
        if (total > Array.MaxLength)
        {
            throw new IdxFormatException(sourceName, 4, $"the header declares {count} images of {rows}x{columns}, {total} pixels in all, more than one array can hold ({Array.MaxLength}).");
        }

        long dataStart = reader.Position;
        byte[] pixels = reader.ReadData(total, out long read);
        if (read < total)
        {
            long complete = read / pixelsPerImage;
            long partial = read % pixelsPerImage;
            string rest = partial == 0 ? "" : $" and {partial} of the {pixelsPerImage} bytes of the next";
            throw new IdxFormatException(sourceName, dataStart + read, $"truncated: the header declares {count} images of {rows}x{columns} but the file ends after {complete} images{rest}.");
        }

        reader.ExpectEnd($"{count} images of {rows}x{columns}");
        return new IdxImages(pixels, count, rows, columns);
    }

    /// <summary>Reads a label file, raw or gzip-compressed.</summary>
    /// <param name="path">The file; error messages name it as given.</param>
    /// <param name="classCount">When given, every label must be in [0, <paramref name="classCount"/>).</param>
    /// <returns>The labels, in file order.</returns>
    /// <exception cref="IdxFormatException">The file is not a valid IDX label file, or a label is out of range.</exception>
    public static int[] ReadLabels(string path, int? classCount = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        CheckClassCount(classCount);
        using var file = File.OpenRead(path);
        return ReadLabels(file, path, classCount);
    }

    /// <summary>Reads a label file's content from a stream, raw or gzip-compressed. The stream is left open.</summary>
    /// <param name="stream">The content; read to its end.</param>
    /// <param name="sourceName">The name error messages use, for example the file name.</param>
    /// <param name="classCount">When given, every label must be in [0, <paramref name="classCount"/>).</param>
    /// <returns>The labels, in file order.</returns>
    /// <exception cref="IdxFormatException">The content is not a valid IDX label file, or a label is out of range.</exception>
    public static int[] ReadLabels(Stream stream, string sourceName, int? classCount = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        CheckClassCount(classCount);
        using var content = CompressedContent.Open(stream);
        var reader = new ContentReader(content, sourceName);
        reader.ReadMagic(LabelsMagic);
        int count = reader.ReadDimension(0, "label count");
        long dataStart = reader.Position;
        byte[] bytes = reader.ReadData(count, out long read);
        if (read < count)
        {
            throw new IdxFormatException(sourceName, dataStart + read, $"truncated: the header declares {count} labels but the file ends after {read} labels.");
        }

        reader.ExpectEnd($"{count} labels");
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = bytes[i];
            if (classCount is { } classes && labels[i] >= classes)
            {
                throw new IdxFormatException(sourceName, dataStart + i, $"label {labels[i]} of item {i} is out of range: with {classes} classes a label must be in [0, {classes - 1}].");
            }
        }

        return labels;
    }

    /// <summary>
    /// Reads an image file and its label file into a classification data set: pixels scaled to [0, 1]
    /// (<c>pixel / 255</c>) as features, one-hot targets over <paramref name="classCount"/> classes
    /// (see <see cref="Dataset{T}.FromLabels"/>).
    /// </summary>
    /// <typeparam name="T">The element type of the data set.</typeparam>
    /// <param name="imagesPath">The image file (for example <c>train-images-idx3-ubyte.gz</c>), raw or gzip-compressed.</param>
    /// <param name="labelsPath">The label file (for example <c>train-labels-idx1-ubyte.gz</c>), raw or gzip-compressed.</param>
    /// <param name="classCount">The number of classes (10 for MNIST and Fashion-MNIST); every label must be below it.</param>
    /// <exception cref="IdxFormatException">
    /// Either file is invalid, a label is out of range, or the files hold different numbers of samples.
    /// </exception>
    public static Dataset<T> ReadDataset<T>(string imagesPath, string labelsPath, int classCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(imagesPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(labelsPath);
        CheckClassCount(classCount);
        var images = ReadImages(imagesPath);
        var labels = ReadLabels(labelsPath, classCount);
        if (labels.Length != images.Count)
        {
            throw new IdxFormatException(labelsPath, -1, $"the file has {labels.Length} labels but {imagesPath} has {images.Count} images; an image file and its label file must hold the same number of samples.");
        }

        return Dataset<T>.FromLabels(images.ToFeatures<T>(), images.PixelsPerImage, labels, classCount);
    }

    private static void CheckClassCount(int? classCount)
    {
        if (classCount is { } classes && (classes <= 0 || classes > 256))
        {
            throw new ArgumentOutOfRangeException(nameof(classCount), classes, "'classCount' must be in [1, 256]: IDX labels are single bytes.");
        }
    }

    private static string DescribeMagic(int magic) => magic switch
    {
        ImagesMagic => $"0x{magic:X8} (images)",
        LabelsMagic => $"0x{magic:X8} (labels)",
        _ => $"0x{magic:X8}",
    };

    private static string TypeName(int typeCode) => typeCode switch
    {
        0x08 => "unsigned bytes",
        0x09 => "signed bytes",
        0x0B => "16-bit integers",
        0x0C => "32-bit integers",
        0x0D => "32-bit floats",
        0x0E => "64-bit floats",
        _ => "an unknown type",
    };

    /// <summary>Reads the decompressed content in order, keeping track of the offset for error messages.</summary>
    private sealed class ContentReader(Stream content, string sourceName)
    {
        private long _position;

        /// <summary>The offset of the next byte in the decompressed content.</summary>
        public long Position => _position;

        public void ReadMagic(int expected)
        {
            Span<byte> bytes = stackalloc byte[4];
            int read = Read(bytes);
            if (read < bytes.Length)
            {
                string found = read == 0 ? "the file is empty" : $"the file ends after {read} bytes";
                throw new IdxFormatException(sourceName, read, $"truncated: expected the 4-byte magic number {DescribeMagic(expected)}, but {found}.");
            }

            int magic = BinaryPrimitives.ReadInt32BigEndian(bytes);
            if (magic == expected)
            {
                return;
            }

            string expectedText = DescribeMagic(expected);
            int expectedDimensions = expected & 0xFF;
            string problem;
            if ((magic >>> 16) != 0)
            {
                problem = $"not an IDX file: expected magic {expectedText}, found 0x{magic:X8} (an IDX file starts with two zero bytes).";
            }
            else if (magic is ImagesMagic or LabelsMagic)
            {
                problem = $"expected magic {expectedText}, found {DescribeMagic(magic)}; were the image and label files swapped?";
            }
            else if (((magic >> 8) & 0xFF) != 0x08)
            {
                int type = (magic >> 8) & 0xFF;
                problem = $"expected magic {expectedText}, found 0x{magic:X8}: the values are {TypeName(type)} (type 0x{type:X2}), but only unsigned bytes (0x08) are supported.";
            }
            else
            {
                problem = $"expected magic {expectedText}, found 0x{magic:X8}: the file has {magic & 0xFF} dimensions, but {(expected == ImagesMagic ? "an image" : "a label")} file has {expectedDimensions}.";
            }

            throw new IdxFormatException(sourceName, 0, problem);
        }

        public int ReadDimension(int index, string name)
        {
            Span<byte> bytes = stackalloc byte[4];
            long offset = _position;
            int read = Read(bytes);
            if (read < bytes.Length)
            {
                throw new IdxFormatException(sourceName, offset + read, $"truncated: the file ends inside the header, in dimension {index} ({name}).");
            }

            uint value = BinaryPrimitives.ReadUInt32BigEndian(bytes);
            if (value > int.MaxValue)
            {
                throw new IdxFormatException(sourceName, offset, $"dimension {index} ({name}) is {value.ToString(CultureInfo.InvariantCulture)}, which is too large.");
            }

            return (int)value;
        }

        /// <summary>Reads up to <paramref name="length"/> bytes, growing the buffer as data arrives.</summary>
        public byte[] ReadData(long length, out long read)
        {
            var buffer = new byte[Math.Min(length, InitialBufferSize)];
            read = 0;
            while (read < length)
            {
                if (read == buffer.Length)
                {
                    Array.Resize(ref buffer, (int)Math.Min(length, (long)buffer.Length * 2));
                }

                int n = Read(buffer.AsSpan((int)read));
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            return buffer;
        }

        public void ExpectEnd(string declared)
        {
            long end = _position;
            Span<byte> chunk = stackalloc byte[4096];
            long extra = 0;
            int n;
            while ((n = Read(chunk)) > 0)
            {
                extra += n;
            }

            if (extra > 0)
            {
                throw new IdxFormatException(sourceName, end, $"the header declares {declared}, but the file has {extra} more bytes after them.");
            }
        }

        private int Read(Span<byte> buffer)
        {
            try
            {
                int total = 0;
                while (total < buffer.Length)
                {
                    int n = content.Read(buffer[total..]);
                    if (n == 0)
                    {
                        break;
                    }

                    total += n;
                }

                _position += total;
                return total;
            }
            catch (InvalidDataException exception)
            {
                throw new IdxFormatException(sourceName, _position, $"the gzip-compressed data is corrupt ({exception.Message}).", exception);
            }
        }
    }
}
