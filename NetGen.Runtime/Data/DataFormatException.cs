namespace NetGen;

/// <summary>
/// A data file could not be read: the message names the file, the 1-based line and column, and the text
/// found there, for example <c>iris.csv, line 12, column 3: 'abc' is not a number.</c>
/// </summary>
public sealed class DataFormatException : FormatException
{
    /// <summary>Creates an exception for a problem at a position in a data source.</summary>
    /// <param name="sourceName">The file name or other name of the source.</param>
    /// <param name="line">The 1-based line.</param>
    /// <param name="column">The 1-based column (field number in a CSV row).</param>
    /// <param name="text">The offending text, if there is any.</param>
    /// <param name="problem">What is wrong, as a sentence.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public DataFormatException(string sourceName, int line, int column, string? text, string problem, Exception? innerException = null)
        : base($"{sourceName}, line {line}, column {column}: {problem}", innerException)
    {
        SourceName = sourceName;
        Line = line;
        Column = column;
        Text = text;
    }

    /// <summary>The file name or other name of the source.</summary>
    public string SourceName { get; }

    /// <summary>The 1-based line of the problem.</summary>
    public int Line { get; }

    /// <summary>The 1-based column (field) of the problem.</summary>
    public int Column { get; }

    /// <summary>The offending text, or null when there is none (for example an empty file).</summary>
    public string? Text { get; }
}
