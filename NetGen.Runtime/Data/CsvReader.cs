using System.Globalization;
using System.Numerics;
using System.Text;

namespace NetGen;

/// <summary>
/// Reads numeric CSV files into a <see cref="Dataset{T}"/>. Numbers use the invariant culture (a dot as the
/// decimal separator); fields may be padded with spaces or wrapped in double quotes; blank lines are skipped.
/// Gzip-compressed input is detected by its magic bytes (so <c>data.csv.gz</c> just works).
/// See <see cref="CsvOptions"/> for the column layout.
/// </summary>
/// <remarks>
/// Every problem in the data (a field that is not a finite number, a row with the wrong number of columns, an
/// empty file, a label out of range, corrupt gzip data) throws a <see cref="DataFormatException"/> naming the
/// file, the 1-based line and column (the field number) and the offending text.
/// </remarks>
public static class CsvReader
{
    private const int MaximumQuotedTextLength = 80;

    /// <summary>Reads a CSV file, plain or gzip-compressed.</summary>
    /// <typeparam name="T">The element type of the data set.</typeparam>
    /// <param name="path">The file to read; error messages name it as given.</param>
    /// <param name="options">The layout; null for the defaults (no header, last column is the label).</param>
    /// <exception cref="DataFormatException">The content is not valid for <paramref name="options"/>.</exception>
    public static Dataset<T> Read<T>(string path, CsvOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var file = File.OpenRead(path);
        return Read<T>(file, path, options);
    }

    /// <summary>Reads CSV data from a stream, plain or gzip-compressed. The stream is left open.</summary>
    /// <typeparam name="T">The element type of the data set.</typeparam>
    /// <param name="stream">The data; read to its end.</param>
    /// <param name="sourceName">The name error messages use for the data, for example its file name.</param>
    /// <param name="options">The layout; null for the defaults (no header, last column is the label).</param>
    /// <exception cref="DataFormatException">The content is not valid for <paramref name="options"/>.</exception>
    public static Dataset<T> Read<T>(Stream stream, string sourceName, CsvOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        options ??= new CsvOptions();
        CheckOptions(options);

        using (var content = CompressedContent.Open(stream))
        using (var reader = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
        {
            return new Parser<T>(reader, sourceName, options).Parse();
        }
    }

    private static void CheckOptions(CsvOptions options)
    {
        if (options.Separator is '"' or '\r' or '\n' || char.IsDigit(options.Separator) || options.Separator is '.' or '-' or '+')
        {
            throw new ArgumentException($"The separator '{options.Separator}' would be ambiguous with numbers, quotes or line ends.", nameof(options));
        }

        if (options.TargetCount is { } targetCount)
        {
            if (targetCount <= 0)
            {
                throw new ArgumentException($"TargetCount is {targetCount}; it must be positive.", nameof(options));
            }

            if (options.LabelColumn is not null || options.ClassCount is not null || options.BinaryTarget)
            {
                throw new ArgumentException("TargetCount (numeric targets) cannot be combined with LabelColumn, ClassCount or BinaryTarget (a class label).", nameof(options));
            }
        }

        if (options.LabelColumn is < 0)
        {
            throw new ArgumentException($"LabelColumn is {options.LabelColumn}; it is a 0-based column index and cannot be negative.", nameof(options));
        }

        if (options.ClassCount is <= 0)
        {
            throw new ArgumentException($"ClassCount is {options.ClassCount}; it must be positive.", nameof(options));
        }

        if (options.BinaryTarget && options.ClassCount is not null and not 2)
        {
            throw new ArgumentException($"BinaryTarget needs two classes but ClassCount is {options.ClassCount}.", nameof(options));
        }
    }

    private static string Quote(ReadOnlySpan<char> text) =>
        text.Length <= MaximumQuotedTextLength ? $"'{text}'" : $"'{text[..MaximumQuotedTextLength]}...'";

    /// <summary>The state of reading one source.</summary>
    private sealed class Parser<T>(StreamReader reader, string sourceName, CsvOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly List<T> _features = [];
        private readonly List<T> _targets = [];
        private readonly List<int> _labels = [];
        private int _lineNumber;
        private int _columnCount = -1;
        private int _labelColumn = -1;
        private int _firstTargetColumn = -1;

        public Dataset<T> Parse()
        {
            bool headerPending = options.HasHeader;
            string? line;
            while ((line = ReadLine()) is not null)
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                if (headerPending)
                {
                    SetLayout(line, CountFields(line));
                    headerPending = false;
                    continue;
                }

                ParseRow(line);
            }

            if (_labels.Count == 0 && _targets.Count == 0)
            {
                string what = _lineNumber == 0 ? "the data is empty" : options.HasHeader && !headerPending ? "there are no data rows after the header" : "there are no data rows, only blank lines";
                throw new DataFormatException(sourceName, _lineNumber + 1, 1, null, $"{what}; expected at least one row of numbers.");
            }

            return CreateDataset();
        }

        private string? ReadLine()
        {
            try
            {
                string? line = reader.ReadLine();
                if (line is not null)
                {
                    _lineNumber++;
                }

                return line;
            }
            catch (InvalidDataException exception)
            {
                throw new DataFormatException(sourceName, _lineNumber + 1, 1, null, $"the compressed data is corrupt ({exception.Message}).", exception);
            }
        }

        private int CountFields(string line) => line.AsSpan().Count(options.Separator) + 1;

        /// <summary>Fixes the column count and the label or target columns from the first row (header or data).</summary>
        private void SetLayout(string line, int columnCount)
        {
            _columnCount = columnCount;
            int nonFeatureColumns = options.TargetCount ?? 1;
            if (columnCount <= nonFeatureColumns)
            {
                string needs = options.TargetCount is null ? "a label" : $"{options.TargetCount} target columns";
                throw new DataFormatException(sourceName, _lineNumber, 1, line,
                    $"the row {Quote(line)} has {columnCount} column(s); at least one feature column plus {needs} are needed.");
            }

            if (options.TargetCount is { } targetCount)
            {
                _firstTargetColumn = columnCount - targetCount;
            }
            else
            {
                _labelColumn = options.LabelColumn ?? columnCount - 1;
                if (_labelColumn >= columnCount)
                {
                    throw new DataFormatException(sourceName, _lineNumber, columnCount, line,
                        $"the row {Quote(line)} has {columnCount} columns, so there is no label column {_labelColumn + 1} (LabelColumn = {_labelColumn}, 0-based).");
                }
            }
        }

        private void ParseRow(string line)
        {
            int fieldCount = CountFields(line);
            if (_columnCount < 0)
            {
                SetLayout(line, fieldCount);
            }
            else if (fieldCount != _columnCount)
            {
                int column = Math.Min(fieldCount, _columnCount) + 1;
                string origin = options.HasHeader ? "the header has" : "the first row has";
                throw new DataFormatException(sourceName, _lineNumber, column, line,
                    $"the row {Quote(line)} has {fieldCount} columns but {origin} {_columnCount}.");
            }

            var rest = line.AsSpan();
            for (int column = 0; column < fieldCount; column++)
            {
                int end = rest.IndexOf(options.Separator);
                var field = Unwrap(end < 0 ? rest : rest[..end]);
                rest = end < 0 ? [] : rest[(end + 1)..];

                if (column == _labelColumn)
                {
                    _labels.Add(ParseLabel(field, column));
                }
                else if (_firstTargetColumn >= 0 && column >= _firstTargetColumn)
                {
                    _targets.Add(ParseNumber(field, column));
                }
                else
                {
                    _features.Add(ParseNumber(field, column));
                }
            }
        }

        private static ReadOnlySpan<char> Unwrap(ReadOnlySpan<char> field)
        {
            field = field.Trim();
            if (field.Length >= 2 && field[0] == '"' && field[^1] == '"')
            {
                field = field[1..^1].Trim();
            }

            return field;
        }

        private T ParseNumber(ReadOnlySpan<char> field, int column)
        {
            if (!T.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out T value))
            {
                throw Error(column, field, field.IsEmpty ? "the field is empty; expected a number." : $"{Quote(field)} is not a number.");
            }

            if (!T.IsFinite(value))
            {
                throw Error(column, field, $"{Quote(field)} is not a finite number.");
            }

            return value;
        }

        private int ParseLabel(ReadOnlySpan<char> field, int column)
        {
            int label;
            if (int.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out int integer))
            {
                label = integer;
            }
            else if (double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
                && number == Math.Floor(number) && number is >= int.MinValue and <= int.MaxValue)
            {
                // Tools that write every column as a float produce labels like "2.0".
                label = (int)number;
            }
            else
            {
                throw Error(column, field, field.IsEmpty ? "the label is empty; expected a whole-number class label." : $"{Quote(field)} is not a whole-number class label.");
            }

            int? classCount = options.BinaryTarget ? 2 : options.ClassCount;
            if (label < 0 || label >= classCount)
            {
                string range = classCount is null ? "class labels cannot be negative" : $"class labels must be in [0, {classCount - 1}]";
                throw Error(column, field, $"class label {Quote(field)} is out of range; {range}.");
            }

            return label;
        }

        private DataFormatException Error(int column, ReadOnlySpan<char> field, string problem) =>
            new(sourceName, _lineNumber, column + 1, field.ToString(), problem);

        private Dataset<T> CreateDataset()
        {
            int featureCount = _columnCount - (options.TargetCount ?? 1);
            var features = _features.ToArray();
            if (options.TargetCount is { } targetCount)
            {
                return new Dataset<T>(features, featureCount, _targets.ToArray(), targetCount);
            }

            var labels = _labels.ToArray();
            if (options.BinaryTarget)
            {
                return Dataset<T>.FromBinaryLabels(features, featureCount, labels);
            }

            int classCount = options.ClassCount ?? labels.Max() + 1;
            return Dataset<T>.FromLabels(features, featureCount, labels, classCount);
        }
    }
}
