using System.Text;

namespace CreditRisk.Drift.Service.Csv;

/// <summary>A CSV file with a header row, held column by column as text (RFC 4180 quoting; an empty field is missing).</summary>
public sealed class CsvTable
{
    private CsvTable(string path, string[] header, List<string?>[] columns)
    {
        Path = path;
        Header = header;
        Columns = columns;
    }

    public string Path { get; }
    public string[] Header { get; }
    public IReadOnlyList<string?>[] Columns { get; }
    public int RowCount => Columns.Length == 0 ? 0 : Columns[0].Count;

    public IReadOnlyList<string?> Column(string name) => Columns[Array.IndexOf(Header, name)];

    public static CsvTable Read(string path)
    {
        if (!File.Exists(path)) throw new CsvFormatException($"{path}: no such file.");
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var fields = new List<string>();
        var lineNumber = 0;
        if (!ReadRecord(reader, fields, ref lineNumber, path)) throw new CsvFormatException($"{path}: the file is empty (a header row is expected).");
        var header = fields.Select(f => f.Trim()).ToArray();
        for (var i = 0; i < header.Length; i++)
        {
            if (header[i].Length == 0) throw new CsvFormatException($"{path}: column {i + 1} of the header has no name.");
            if (Array.IndexOf(header, header[i]) != i) throw new CsvFormatException($"{path}: column '{header[i]}' appears twice in the header.");
        }
        var columns = header.Select(_ => new List<string?>()).ToArray();
        while (ReadRecord(reader, fields, ref lineNumber, path))
        {
            if (fields.Count == 1 && fields[0].Length == 0) continue;
            if (fields.Count != header.Length)
                throw new CsvFormatException($"{path}: line {lineNumber} has {fields.Count} fields, the header {header.Length}.");
            for (var i = 0; i < fields.Count; i++) columns[i].Add(fields[i].Length == 0 ? null : fields[i]);
        }
        return new CsvTable(path, header, columns);
    }

    // One record, which may span lines inside quotes; false at the end of the file.
    private static bool ReadRecord(StreamReader reader, List<string> fields, ref int lineNumber, string path)
    {
        fields.Clear();
        var line = reader.ReadLine();
        if (line is null) return false;
        lineNumber++;
        var startLine = lineNumber;
        var field = new StringBuilder();
        var i = 0;
        while (true)
        {
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        var next = reader.ReadLine() ?? throw new CsvFormatException($"{path}: line {startLine} opens a quote that is never closed.");
                        lineNumber++;
                        field.Append('\n');
                        line = next;
                        i = 0;
                        continue;
                    }
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    field.Append(line[i++]);
                }
                var comma = line.IndexOf(',', i);
                if (comma < 0) i = line.Length;
                else i = comma;
            }
            else
            {
                var comma = line.IndexOf(',', i);
                var end = comma < 0 ? line.Length : comma;
                field.Append(line, i, end - i);
                i = end;
            }
            fields.Add(field.ToString().Trim());
            field.Clear();
            if (i >= line.Length) return true;
            i++; // the comma
        }
    }
}
