namespace NetGen;

/// <summary>What was wrong with a parameter file that <see cref="ModelFile"/> refused to load.</summary>
public enum ModelFileError
{
    /// <summary>The file does not start with the magic bytes <c>NGPARAMS</c>: it is not a NetGen parameter file.</summary>
    NotAModelFile,

    /// <summary>The file has a format version this NetGen cannot read (it comes from a newer NetGen, or its header is damaged).</summary>
    UnsupportedVersion,

    /// <summary>The file is shorter than its header says: it was cut off, for example by an interrupted copy.</summary>
    Truncated,

    /// <summary>A checksum does not match, the header is inconsistent, or there are bytes after the declared end.</summary>
    Corrupted,

    /// <summary>The file holds parameters of the other element type (float versus double).</summary>
    ElementTypeMismatch,

    /// <summary>The file holds a different number of parameters than the network has.</summary>
    ParameterCountMismatch,

    /// <summary>The file was saved from a network of a different architecture (its architecture hash differs).</summary>
    ArchitectureMismatch,
}

/// <summary>
/// A parameter file could not be loaded: the message names the file and says what was wrong, for example
/// <c>xor.ngp: corrupted: the checksum does not match the data.</c>; <see cref="Error"/> says the same for code.
/// </summary>
public sealed class ModelFileException : IOException
{
    /// <summary>Creates an exception for a problem with a parameter file.</summary>
    /// <param name="filePath">The file, as the caller named it.</param>
    /// <param name="error">The kind of problem.</param>
    /// <param name="problem">What is wrong, as a sentence.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public ModelFileException(string filePath, ModelFileError error, string problem, Exception? innerException = null)
        : base($"{filePath}: {problem}", innerException)
    {
        FilePath = filePath;
        Error = error;
    }

    /// <summary>The file, as the caller named it.</summary>
    public string FilePath { get; }

    /// <summary>The kind of problem.</summary>
    public ModelFileError Error { get; }
}
