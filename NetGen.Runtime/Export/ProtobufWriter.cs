using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace NetGen;

/// <summary>
/// Writes the protocol buffers wire format (varints, fixed 32-bit values and length-delimited fields): the
/// handful of encodings an ONNX model needs, so the core package carries no protobuf dependency.
/// </summary>
/// <remarks>
/// A nested message is written into its own writer first and then copied in behind its length, which is
/// simple and fine for a one-off export (the protobuf libraries compute sizes in a first pass instead).
/// </remarks>
internal sealed class ProtobufWriter
{
    private const int VarintWireType = 0;
    private const int LengthDelimitedWireType = 2;
    private const int Fixed32WireType = 5;

    private readonly ArrayBufferWriter<byte> _buffer = new();

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    /// <summary>An integer field (int32, int64 or enum), as a varint; negative values take ten bytes, as protobuf specifies.</summary>
    public void WriteInt64(int field, long value)
    {
        WriteTag(field, VarintWireType);
        WriteVarint(unchecked((ulong)value));
    }

    /// <summary>A float field, little-endian.</summary>
    public void WriteFloat(int field, float value)
    {
        WriteTag(field, Fixed32WireType);
        BinaryPrimitives.WriteSingleLittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    /// <summary>A string field, UTF-8.</summary>
    public void WriteString(int field, string value) => WriteBytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>A bytes field.</summary>
    public void WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        WriteTag(field, LengthDelimitedWireType);
        WriteVarint((ulong)value.Length);
        _buffer.Write(value);
    }

    /// <summary>An embedded message, written by <paramref name="writeMessage"/>.</summary>
    public void WriteMessage<TState>(int field, TState state, Action<ProtobufWriter, TState> writeMessage)
    {
        var nested = new ProtobufWriter();
        writeMessage(nested, state);
        WriteBytes(field, nested.WrittenSpan);
    }

    private void WriteTag(int field, int wireType) => WriteVarint(((ulong)field << 3) | (uint)wireType);

    private void WriteVarint(ulong value)
    {
        var span = _buffer.GetSpan(10);
        int length = 0;
        while (value >= 0x80)
        {
            span[length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[length++] = (byte)value;
        _buffer.Advance(length);
    }
}
