namespace NetGen;

/// <summary>
/// An IDX file (the MNIST family's format) could not be read: the message names the file and says what was
/// wrong, for example <c>train-images-idx3-ubyte.gz: expected magic 0x00000803 (images), found 0x00000801 (labels).</c>
/// </summary>
/// <remarks>
/// Like <see cref="DataFormatException"/> (for CSV) this is a <see cref="FormatException"/>, so
/// <c>catch (FormatException)</c> handles a bad data file of either kind. IDX files have no lines and columns;
/// <see cref="Offset"/> locates the problem instead.
/// </remarks>
public sealed class IdxFormatException : FormatException
{
    /// <summary>Creates an exception for a problem in an IDX file.</summary>
    /// <param name="sourceName">The file name or other name of the source.</param>
    /// <param name="offset">
    /// The byte offset of the problem in the file's (decompressed) content, or -1 when the problem has no single
    /// position (for example two files that disagree).
    /// </param>
    /// <param name="problem">What is wrong, as a sentence.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public IdxFormatException(string sourceName, long offset, string problem, Exception? innerException = null)
        : base($"{sourceName}: {problem}", innerException)
    {
        SourceName = sourceName;
        Offset = offset;
    }

    /// <summary>The file name or other name of the source.</summary>
    public string SourceName { get; }

    /// <summary>
    /// The byte offset of the problem within the decompressed content (0 is the magic number), or -1 when the
    /// problem has no single position.
    /// </summary>
    public long Offset { get; }
}
