using System.Globalization;

namespace CreditRisk.Drift.Service.Csv;

/// <summary>
/// A CSV file with a header row, read column by column: a column whose every non-empty value parses as a double
/// (invariant culture) is held as numbers (NaN where empty); the text of any column is read on demand by a second pass,
/// so that numeric columns never hold a string per value.
/// </summary>
public sealed class CsvTable
{
    private readonly double[]?[] _numbers;
    private readonly List<string?>?[] _texts;

    private CsvTable(string path, string[] header, double[]?[] numbers, int rowCount)
    {
        Path = path;
        Header = header;
        _numbers = numbers;
        _texts = new List<string?>?[header.Length];
        RowCount = rowCount;
    }

    public string Path { get; }
    public string[] Header { get; }
    public int RowCount { get; }

    /// <summary>The column's values when every non-empty one is a number (empty = NaN); null for a text column.</summary>
    public double[]? Numbers(string name) => _numbers[IndexOf(name)];

    /// <summary>The column's values as text (empty = null); read from the file on first use.</summary>
    public IReadOnlyList<string?> Column(string name)
    {
        LoadText([name]);
        return _texts[IndexOf(name)]!;
    }

    /// <summary>Reads the text of the named columns in one pass over the file.</summary>
    public void LoadText(IReadOnlyCollection<string> names)
    {
        var indexes = names.Select(IndexOf).Where(i => _texts[i] is null).Distinct().ToArray();
        if (indexes.Length == 0) return;
        var lists = indexes.Select(_ => new List<string?>(RowCount)).ToArray();
        using var reader = new CsvRecordReader(Path);
        reader.Read();
        while (reader.Read())
        {
            if (reader.IsBlank) continue;
            for (var k = 0; k < indexes.Length; k++)
            {
                var field = reader.Field(indexes[k]);
                lists[k].Add(field.IsEmpty ? null : new string(field));
            }
        }
        for (var k = 0; k < indexes.Length; k++) _texts[indexes[k]] = lists[k];
    }

    public static CsvTable Read(string path)
    {
        if (!File.Exists(path)) throw new CsvFormatException($"{path}: no such file.");
        using var reader = new CsvRecordReader(path);
        if (!reader.Read()) throw new CsvFormatException($"{path}: the file is empty (a header row is expected).");
        var header = new string[reader.FieldCount];
        for (var i = 0; i < header.Length; i++)
        {
            header[i] = new string(reader.Field(i));
            if (header[i].Length == 0) throw new CsvFormatException($"{path}: column {i + 1} of the header has no name.");
            if (Array.IndexOf(header, header[i], 0, i) >= 0) throw new CsvFormatException($"{path}: column '{header[i]}' appears twice in the header.");
        }
        var numbers = header.Select(_ => new List<double>()).ToArray();
        var numeric = Enumerable.Repeat(true, header.Length).ToArray();
        var rows = 0;
        while (reader.Read())
        {
            if (reader.IsBlank) continue;
            if (reader.FieldCount != header.Length)
                throw new CsvFormatException($"{path}: line {reader.LineNumber} has {reader.FieldCount} fields, the header {header.Length}.");
            rows++;
            for (var i = 0; i < header.Length; i++)
            {
                if (!numeric[i]) continue;
                var field = reader.Field(i);
                if (field.IsEmpty) numbers[i].Add(double.NaN);
                else if (double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) numbers[i].Add(value);
                else
                {
                    numeric[i] = false;
                    numbers[i] = [];
                }
            }
        }
        var columns = new double[]?[header.Length];
        for (var i = 0; i < header.Length; i++) columns[i] = numeric[i] ? [.. numbers[i]] : null;
        return new CsvTable(path, header, columns, rows);
    }

    private int IndexOf(string name)
    {
        var index = Array.IndexOf(Header, name);
        return index >= 0 ? index : throw new ArgumentException($"{Path}: no column '{name}'.");
    }
}
