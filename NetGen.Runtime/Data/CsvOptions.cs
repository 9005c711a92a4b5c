namespace NetGen;

/// <summary>
/// How <see cref="CsvReader"/> interprets a file. By default the file has no header, fields are separated by
/// commas, and the last column is an integer class label (one-hot encoded over <see cref="ClassCount"/> classes);
/// every other column is a feature. Set <see cref="TargetCount"/> instead to read the last columns as numeric
/// targets (regression).
/// </summary>
public sealed record CsvOptions
{
    /// <summary>The first non-blank line is a header and is skipped; its column count is the one every row must have.</summary>
    public bool HasHeader { get; init; }

    /// <summary>The field separator; a comma by default.</summary>
    public char Separator { get; init; } = ',';

    /// <summary>The 0-based index of the class-label column; null for the last column.</summary>
    public int? LabelColumn { get; init; }

    /// <summary>The number of classes; null to use the largest label plus one.</summary>
    public int? ClassCount { get; init; }

    /// <summary>
    /// Encode a two-class label as a single 0/1 target (for one sigmoid output) instead of a one-hot pair.
    /// Labels must then be 0 or 1.
    /// </summary>
    public bool BinaryTarget { get; init; }

    /// <summary>
    /// When set, no column is a label: the last <see cref="TargetCount"/> columns are numeric targets and all
    /// others are features. Cannot be combined with <see cref="LabelColumn"/>, <see cref="ClassCount"/> or
    /// <see cref="BinaryTarget"/>.
    /// </summary>
    public int? TargetCount { get; init; }
}
