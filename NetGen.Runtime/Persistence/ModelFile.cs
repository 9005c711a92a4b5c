using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using NetGen.Layers;

namespace NetGen;

/// <summary>
/// Saves and loads the parameters of a generated network in a versioned, checksummed binary file, written
/// atomically: a crash or an error during <see cref="Save{T}(INetwork{T}, string)"/> leaves any previous file intact, and
/// <see cref="Load{T}"/> either loads a whole valid file or throws a <see cref="ModelFileException"/> that says
/// what was wrong, leaving the network's parameters untouched.
/// </summary>
/// <remarks>
/// <para>Layout of format version 1 (all integers little-endian; offsets in bytes):</para>
/// <code>
///   0   8  magic "NGPARAMS" (ASCII)
///   8   2  format version, uint16 = 1
///  10   2  element size, uint16: 4 = float (Precision.Single), 8 = double (Precision.Double)
///  12   4  parameter count P, int32
///  16  32  architecture hash: SHA-256 of the UTF-8 architecture text (see DescribeArchitecture)
///  48   4  network name length N, int32 (UTF-8 bytes)
///  52   4  architecture text length A, int32 (UTF-8 bytes)
///  56   8  file length L, int64 (= 96 + N + A + P * element size + 32)
///  64  32  header checksum: SHA-256 of bytes [0, 64)
///  96   N  network name, UTF-8 (informational, for messages; not part of the architecture hash)
///  96+N A  architecture text, UTF-8
///  ..  P*size  the parameters in buffer order, IEEE 754 little-endian
///  L-32 32 file checksum: SHA-256 of bytes [0, L-32)
/// </code>
/// <para>
/// The architecture hash covers the input size, every layer's kind, sizes, activation, dropout rate and parameter
/// tensors (name, shape, offset), the loss and the precision, but not the network's type name, so renaming a
/// class keeps its files loadable.
/// </para>
/// <para>
/// Format version 2 is version 1 with a training checkpoint (<see cref="TrainingCheckpoint{T}"/>: optimizer state,
/// schedule position, epoch and batch) between the parameters and the file checksum, as an int32 length S followed
/// by S bytes, so that L = 96 + N + A + P * element size + 4 + S + 32. <see cref="Save{T}(INetwork{T}, string)"/>
/// still writes version 1; only a save with a checkpoint writes version 2. Both versions load.
/// </para>
/// </remarks>
public static class ModelFile
{
    /// <summary>
    /// The newest format version this class writes and reads: 2 (parameters and a training checkpoint); files with
    /// parameters only are written as version 1, which every NetGen reads.
    /// </summary>
    public const int FormatVersion = 2;

    /// <summary>The format version of files that hold parameters only.</summary>
    private const int ParametersOnlyVersion = 1;

    private const int HeaderLength = 64;
    private const int PrefixLength = HeaderLength + HashLength;
    private const int HashLength = 32;

    private static ReadOnlySpan<byte> Magic => "NGPARAMS"u8;

    /// <summary>
    /// Saves <paramref name="network"/>'s parameters to <paramref name="path"/>, replacing any existing file
    /// atomically: the file is written to a temporary file in the same directory, flushed to disk and then moved
    /// over <paramref name="path"/>, so a crash mid-save never leaves a partial file behind.
    /// </summary>
    /// <typeparam name="T">The network's element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="network">The network whose parameters to save.</param>
    /// <param name="path">The file to write.</param>
    public static void Save<T>(INetwork<T> network, string path)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Save(network, path, checkpoint: null, decorate: null);

    /// <summary>
    /// Saves <paramref name="network"/>'s parameters and, when <paramref name="checkpoint"/> is not null, the training
    /// state it holds (format version 2), atomically like <see cref="Save{T}(INetwork{T}, string)"/>. Continue the run
    /// with <see cref="LoadCheckpoint{T}"/> and <see cref="Trainer{T}.RestoreCheckpoint"/>.
    /// </summary>
    /// <typeparam name="T">The network's element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="network">The network whose parameters to save.</param>
    /// <param name="path">The file to write.</param>
    /// <param name="checkpoint">The trainer's state from <see cref="Trainer{T}.CaptureCheckpoint"/>; null for parameters only (version 1).</param>
    public static void Save<T>(INetwork<T> network, string path, TrainingCheckpoint<T>? checkpoint)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Save(network, path, checkpoint, decorate: null);

    /// <summary>
    /// <see cref="Save{T}(INetwork{T}, string)"/> with a hook that wraps the temporary file's stream, so tests
    /// can make the write fail midway.
    /// </summary>
    internal static void Save<T>(INetwork<T> network, string path, Func<Stream, Stream>? decorate)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Save(network, path, checkpoint: null, decorate);

    private static void Save<T>(INetwork<T> network, string path, TrainingCheckpoint<T>? checkpoint, Func<Stream, Stream>? decorate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] content = Serialize(network, checkpoint);

        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' has no directory.", nameof(path));
        string temporary = Path.Combine(directory, $"{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                var stream = decorate?.Invoke(file) ?? file;
                stream.Write(content);
                stream.Flush();
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Loads parameters saved by <see cref="Save{T}(INetwork{T}, string)"/> into <paramref name="network"/>. The whole file is checked
    /// first (magic bytes, version, length, both checksums, element type, parameter count, architecture hash);
    /// the network's parameters change only when every check passes.
    /// </summary>
    /// <typeparam name="T">The network's element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="network">The network to receive the parameters.</param>
    /// <param name="path">The file to read.</param>
    /// <exception cref="ModelFileException">The file is not a valid parameter file for this network; <see cref="ModelFileException.Error"/> says why.</exception>
    public static void Load<T>(INetwork<T> network, string path)
        where T : unmanaged, IFloatingPointIeee754<T>
        => LoadParameters(network, path);

    /// <summary>
    /// Loads a file like <see cref="Load{T}"/> and returns the training checkpoint it holds, to pass to
    /// <see cref="Trainer{T}.RestoreCheckpoint"/>; null when the file holds parameters only (format version 1, or a
    /// version 2 file saved without a checkpoint). Nothing changes unless the whole file is valid.
    /// </summary>
    /// <typeparam name="T">The network's element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="network">The network to receive the parameters.</param>
    /// <param name="path">The file to read.</param>
    /// <exception cref="ModelFileException">The file is not a valid parameter file for this network; <see cref="ModelFileException.Error"/> says why.</exception>
    public static TrainingCheckpoint<T>? LoadCheckpoint<T>(INetwork<T> network, string path)
        where T : unmanaged, IFloatingPointIeee754<T>
        => LoadParameters(network, path);

    private static TrainingCheckpoint<T>? LoadParameters<T>(INetwork<T> network, string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        int elementSize = ElementSize<T>();
        byte[] content = File.ReadAllBytes(path);
        var (info, dataOffset, stateLength) = Parse(content, path);

        var description = network.Description;
        string saved = $"{info.NetworkName} ({info.Architecture})";
        string current = $"{description.Name} ({DescribeArchitecture(description)})";
        if (ElementSize(info.Precision) != elementSize)
        {
            throw new ModelFileException(path, ModelFileError.ElementTypeMismatch,
                $"element type mismatch: the file holds {TypeName(info.Precision)} parameters (saved from {info.NetworkName}), but {description.Name} uses {TypeName(PrecisionOf(elementSize))}.");
        }

        if (info.ParameterCount != network.ParameterCount)
        {
            throw new ModelFileException(path, ModelFileError.ParameterCountMismatch,
                $"parameter count mismatch: the file holds {info.ParameterCount} parameters saved from {saved}, but {description.Name} has {network.ParameterCount}: {current}.");
        }

        if (!info.ArchitectureHash.SequenceEqual(ArchitectureHash(description)))
        {
            throw new ModelFileException(path, ModelFileError.ArchitectureMismatch,
                $"architecture mismatch: the file was saved from {saved}, which differs from {current}.");
        }

        TrainingCheckpoint<T>? checkpoint = null;
        if (stateLength > 0)
        {
            int stateOffset = dataOffset + (info.ParameterCount * elementSize) + sizeof(int);
            try
            {
                using var reader = new BinaryReader(new MemoryStream(content, stateOffset, stateLength, writable: false), Encoding.UTF8);
                checkpoint = TrainingCheckpoint<T>.Read(reader, info.ParameterCount);
                if (reader.BaseStream.Position != stateLength)
                {
                    throw new InvalidDataException($"the training state has {stateLength - reader.BaseStream.Position} bytes more than it uses.");
                }
            }
            catch (Exception exception) when (exception is InvalidDataException or EndOfStreamException or IOException)
            {
                throw new ModelFileException(path, ModelFileError.Corrupted, $"corrupted: {(exception is EndOfStreamException ? "the training state ends too early." : exception.Message)}", exception);
            }
        }

        var destination = MemoryMarshal.AsBytes(network.Parameters);
        content.AsSpan(dataOffset, destination.Length).CopyTo(destination);
        if (!BitConverter.IsLittleEndian)
        {
            ReverseElements(destination, elementSize);
        }

        return checkpoint;
    }

    /// <summary>Checks a parameter file completely (as <see cref="Load{T}"/> does, without a network) and returns its header.</summary>
    /// <param name="path">The file to read.</param>
    /// <exception cref="ModelFileException">The file is not a valid parameter file; <see cref="ModelFileException.Error"/> says why.</exception>
    public static ModelFileInfo ReadInfo(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Parse(File.ReadAllBytes(path), path).Info;
    }

    /// <summary>
    /// The canonical architecture text of a network, the input of its architecture hash: input size, each layer
    /// (kind, sizes, activation or dropout rate, parameter tensors with shape and offset), loss and precision,
    /// for example <c>inputs 2; Dense 2-&gt;1 Sigmoid W1[1x2]@0 b1[1x1]@2; loss SquaredError; precision Single</c>.
    /// Enum members are written by name and numbers in the invariant culture, so the text is the same on every
    /// machine.
    /// </summary>
    /// <param name="description">The network's description.</param>
    public static string DescribeArchitecture(NetworkDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"inputs {description.InputSize}");
        foreach (var layer in description.Layers)
        {
            text.Append(CultureInfo.InvariantCulture, $"; {layer.Kind} {layer.InputSize}->{layer.OutputSize} {LayerRuntime.For(layer.Kind).ArchitectureSetting(layer)}");

            foreach (var tensor in new[] { layer.Weights, layer.Bias }.OfType<ParameterTensor>())
            {
                text.Append(CultureInfo.InvariantCulture, $" {tensor.Name}[{tensor.Rows}x{tensor.Columns}]@{tensor.Offset}");
            }

            if (layer.Inputs is { } inputs)
            {
                // Only a DAG's layers name their inputs, so a chain's text (and its saved files) stay as they were.
                text.Append(CultureInfo.InvariantCulture, $" from {string.Join(",", inputs)}");
            }
        }

        text.Append(CultureInfo.InvariantCulture, $"; loss {description.Loss}; precision {description.Precision}");
        return text.ToString();
    }

    /// <summary>The SHA-256 hash of <see cref="DescribeArchitecture"/>'s text (UTF-8): 32 bytes.</summary>
    /// <param name="description">The network's description.</param>
    public static byte[] ArchitectureHash(NetworkDescription description) =>
        SHA256.HashData(Encoding.UTF8.GetBytes(DescribeArchitecture(description)));

    private static byte[] Serialize<T>(INetwork<T> network, TrainingCheckpoint<T>? checkpoint)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        byte[] state = [];
        if (checkpoint is not null)
        {
            using var stream = new MemoryStream();
            using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
            {
                checkpoint.Write(writer);
            }

            state = stream.ToArray();
        }

        int elementSize = ElementSize<T>();
        var description = network.Description;
        var parameters = network.Parameters;
        if (parameters.Length != network.ParameterCount)
        {
            throw new ArgumentException($"{description.Name}'s parameter buffer has {parameters.Length} values but the network declares {network.ParameterCount}.", nameof(network));
        }

        byte[] name = Encoding.UTF8.GetBytes(description.Name);
        string architectureText = DescribeArchitecture(description);
        byte[] architecture = Encoding.UTF8.GetBytes(architectureText);
        long dataLength = (long)parameters.Length * elementSize;
        long stateSectionLength = checkpoint is null ? 0 : sizeof(int) + state.Length;
        long length = PrefixLength + name.Length + architecture.Length + dataLength + stateSectionLength + HashLength;
        if (length > Array.MaxLength)
        {
            throw new NotSupportedException($"{description.Name} has {parameters.Length} parameters; a parameter file is limited to {Array.MaxLength} bytes.");
        }

        var content = new byte[length];
        var span = content.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[8..], (ushort)(checkpoint is null ? ParametersOnlyVersion : FormatVersion));
        BinaryPrimitives.WriteUInt16LittleEndian(span[10..], (ushort)elementSize);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], parameters.Length);
        SHA256.HashData(architecture, span.Slice(16, HashLength));
        BinaryPrimitives.WriteInt32LittleEndian(span[48..], name.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[52..], architecture.Length);
        BinaryPrimitives.WriteInt64LittleEndian(span[56..], length);
        SHA256.HashData(span[..HeaderLength], span.Slice(HeaderLength, HashLength));

        int offset = PrefixLength;
        name.CopyTo(span[offset..]);
        offset += name.Length;
        architecture.CopyTo(span[offset..]);
        offset += architecture.Length;
        var data = span.Slice(offset, (int)dataLength);
        MemoryMarshal.AsBytes(parameters).CopyTo(data);
        if (!BitConverter.IsLittleEndian)
        {
            ReverseElements(data, elementSize);
        }

        if (checkpoint is not null)
        {
            offset += (int)dataLength;
            BinaryPrimitives.WriteInt32LittleEndian(span[offset..], state.Length);
            state.CopyTo(span[(offset + sizeof(int))..]);
        }

        SHA256.HashData(span[..^HashLength], span[^HashLength..]);
        return content;
    }

    /// <summary>
    /// Checks everything that does not depend on the target network and returns the header, the parameters' offset
    /// and the length of the training state (0 without one).
    /// </summary>
    private static (ModelFileInfo Info, int DataOffset, int StateLength) Parse(byte[] content, string path)
    {
        var span = content.AsSpan();
        if (span.Length == 0)
        {
            throw new ModelFileException(path, ModelFileError.Truncated, "truncated: the file is empty.");
        }

        if (span.Length < Magic.Length)
        {
            if (Magic.StartsWith(span))
            {
                throw new ModelFileException(path, ModelFileError.Truncated, $"truncated: the file has only {span.Length} bytes, fewer than the {PrefixLength}-byte header.");
            }

            throw NotAModelFile(path);
        }

        if (!span.StartsWith(Magic))
        {
            throw NotAModelFile(path);
        }

        if (span.Length < 10)
        {
            throw new ModelFileException(path, ModelFileError.Truncated, $"truncated: the file has only {span.Length} bytes, fewer than the {PrefixLength}-byte header.");
        }

        int version = BinaryPrimitives.ReadUInt16LittleEndian(span[8..]);
        if (version is not (ParametersOnlyVersion or FormatVersion))
        {
            throw new ModelFileException(path, ModelFileError.UnsupportedVersion,
                $"format version {version} is not supported; this NetGen reads versions {ParametersOnlyVersion} and {FormatVersion} (the file comes from a newer NetGen, or its header is damaged).");
        }

        if (span.Length < PrefixLength)
        {
            throw new ModelFileException(path, ModelFileError.Truncated, $"truncated: the file has only {span.Length} bytes, fewer than the {PrefixLength}-byte header.");
        }

        Span<byte> hash = stackalloc byte[HashLength];
        SHA256.HashData(span[..HeaderLength], hash);
        if (!hash.SequenceEqual(span.Slice(HeaderLength, HashLength)))
        {
            throw new ModelFileException(path, ModelFileError.Corrupted, "corrupted: the header checksum does not match (the header was modified or damaged).");
        }

        int elementSize = BinaryPrimitives.ReadUInt16LittleEndian(span[10..]);
        int parameterCount = BinaryPrimitives.ReadInt32LittleEndian(span[12..]);
        int nameLength = BinaryPrimitives.ReadInt32LittleEndian(span[48..]);
        int architectureLength = BinaryPrimitives.ReadInt32LittleEndian(span[52..]);
        long declaredLength = BinaryPrimitives.ReadInt64LittleEndian(span[56..]);
        long parametersEnd = PrefixLength + (long)nameLength + architectureLength + ((long)parameterCount * elementSize);
        long stateLength = version == ParametersOnlyVersion ? 0 : declaredLength - parametersEnd - sizeof(int) - HashLength;
        if (elementSize is not (4 or 8) || parameterCount < 0 || nameLength < 0 || architectureLength < 0
            || stateLength < 0 || declaredLength != parametersEnd + (version == ParametersOnlyVersion ? 0 : sizeof(int) + stateLength) + HashLength)
        {
            throw new ModelFileException(path, ModelFileError.Corrupted,
                $"corrupted: the header is inconsistent (element size {elementSize}, {parameterCount} parameters, name {nameLength} bytes, architecture {architectureLength} bytes, file length {declaredLength}).");
        }

        var precision = PrecisionOf(elementSize);
        if (span.Length < declaredLength)
        {
            throw new ModelFileException(path, ModelFileError.Truncated,
                $"truncated: the header declares {parameterCount} {TypeName(precision)} parameters, {declaredLength} bytes in all, but the file ends after {span.Length} bytes.");
        }

        if (span.Length > declaredLength)
        {
            throw new ModelFileException(path, ModelFileError.Corrupted,
                $"corrupted: the header declares {declaredLength} bytes, but the file has {span.Length - declaredLength} more after them.");
        }

        SHA256.HashData(span[..^HashLength], hash);
        if (!hash.SequenceEqual(span[^HashLength..]))
        {
            throw new ModelFileException(path, ModelFileError.Corrupted, "corrupted: the checksum does not match the data (the file was modified or damaged after it was written).");
        }

        var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        string name, architecture;
        try
        {
            name = strict.GetString(span.Slice(PrefixLength, nameLength));
            architecture = strict.GetString(span.Slice(PrefixLength + nameLength, architectureLength));
        }
        catch (DecoderFallbackException exception)
        {
            throw new ModelFileException(path, ModelFileError.Corrupted, "corrupted: the network name or architecture text is not valid UTF-8.", exception);
        }

        if (version != ParametersOnlyVersion && BinaryPrimitives.ReadInt32LittleEndian(span[(int)parametersEnd..]) != stateLength)
        {
            throw new ModelFileException(path, ModelFileError.Corrupted,
                $"corrupted: the training state declares {BinaryPrimitives.ReadInt32LittleEndian(span[(int)parametersEnd..])} bytes but the file leaves {stateLength} for it.");
        }

        var info = new ModelFileInfo(version, precision, parameterCount, name, architecture, span.Slice(16, HashLength).ToArray(), stateLength > 0);
        return (info, PrefixLength + nameLength + architectureLength, (int)stateLength);
    }

    private static ModelFileException NotAModelFile(string path) =>
        new(path, ModelFileError.NotAModelFile, "not a NetGen parameter file: it does not start with the magic bytes 'NGPARAMS'.");

    private static int ElementSize<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw new NotSupportedException($"Parameter files hold float or double parameters, not {typeof(T).Name}.");
        }

        return Unsafe.SizeOf<T>();
    }

    private static int ElementSize(Precision precision) => precision == Precision.Double ? 8 : 4;

    private static Precision PrecisionOf(int elementSize) => elementSize == 8 ? Precision.Double : Precision.Single;

    private static string TypeName(Precision precision) => precision == Precision.Double ? "double (64-bit)" : "float (32-bit)";

    private static void ReverseElements(Span<byte> data, int elementSize)
    {
        for (int i = 0; i < data.Length; i += elementSize)
        {
            data.Slice(i, elementSize).Reverse();
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
