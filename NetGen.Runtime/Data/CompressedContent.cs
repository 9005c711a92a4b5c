using System.IO.Compression;

namespace NetGen;

/// <summary>Opens data files that may or may not be gzip-compressed, telling them apart by their first bytes.</summary>
internal static class CompressedContent
{
    /// <summary>
    /// The decompressed content of <paramref name="stream"/>: the stream itself, or a gzip decompressor over it
    /// when it starts with the gzip magic bytes 1f 8b. The stream need not be seekable and is left open.
    /// </summary>
    public static Stream Open(Stream stream)
    {
        Span<byte> magic = stackalloc byte[2];
        int length = stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        Stream content = new PrefixedStream(magic[..length].ToArray(), stream);
        return length == 2 && magic[0] == 0x1F && magic[1] == 0x8B
            ? new GZipStream(content, CompressionMode.Decompress)
            : content;
    }

    /// <summary>
    /// Replays bytes already read from the start of a stream (to sniff the gzip magic number) and then
    /// continues with the stream itself, which therefore need not be seekable. Leaves the inner stream open.
    /// </summary>
    private sealed class PrefixedStream(byte[] prefix, Stream inner) : Stream
    {
        private int _prefixPosition;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_prefixPosition < prefix.Length)
            {
                int copied = Math.Min(buffer.Length, prefix.Length - _prefixPosition);
                prefix.AsSpan(_prefixPosition, copied).CopyTo(buffer);
                _prefixPosition += copied;
                return copied;
            }

            return inner.Read(buffer);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
