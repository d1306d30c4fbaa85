using System.Text;

namespace CreditRisk.Modeling.Data;

/// <summary>A CSV file as read: the header's column names and each row's raw fields, empty fields as null.</summary>
public sealed class TabularTable
{
    private readonly Dictionary<string, int> _columnIndex;

    public TabularTable(IReadOnlyList<string> columns, IReadOnlyList<string?[]> rows, IReadOnlyList<int> lineNumbers)
    {
        Columns = columns;
        Rows = rows;
        LineNumbers = lineNumbers;
        _columnIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < columns.Count; i++)
        {
            if (!_columnIndex.TryAdd(columns[i], i))
            {
                throw new TabularDataException($"line 1: the header names column \"{columns[i]}\" twice");
            }
        }
    }

    public IReadOnlyList<string> Columns { get; }

    public IReadOnlyList<string?[]> Rows { get; }

    /// <summary>The line each row starts on in the file (the header is line 1).</summary>
    public IReadOnlyList<int> LineNumbers { get; }

    public int? IndexOf(string column) => _columnIndex.TryGetValue(column, out var index) ? index : null;

    public static TabularTable ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new TabularDataException($"file {path} does not exist");
        }
        using var reader = new StreamReader(path, Encoding.UTF8);
        return Read(reader);
    }

    public static TabularTable Read(TextReader reader)
    {
        using var records = CsvRecordReader.Read(reader).GetEnumerator();
        if (!records.MoveNext())
        {
            throw new TabularDataException("the file is empty (expected a header row)");
        }
        var header = records.Current.Fields.Select(name => name.Trim()).ToList();
        if (header.Any(name => name.Length == 0))
        {
            throw new TabularDataException($"line {records.Current.LineNumber}: the header has an empty column name");
        }

        var rows = new List<string?[]>();
        var lineNumbers = new List<int>();
        while (records.MoveNext())
        {
            var record = records.Current;
            if (record.Fields.Count != header.Count)
            {
                throw new TabularDataException(
                    $"line {record.LineNumber}: {record.Fields.Count} fields, the header has {header.Count}");
            }
            rows.Add(record.Fields.Select(value => value.Length == 0 ? null : value).ToArray());
            lineNumbers.Add(record.LineNumber);
        }
        return new TabularTable(header, rows, lineNumbers);
    }
}
