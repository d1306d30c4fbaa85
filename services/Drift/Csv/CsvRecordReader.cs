using System.Text;

namespace CreditRisk.Drift.Service.Csv;

/// <summary>
/// Reads a CSV file record by record (RFC 4180 quoting; a quoted field may span lines), each record's unescaped fields
/// laid end to end in one reused buffer so that numbers can be parsed without a string per field.
/// </summary>
public sealed class CsvRecordReader : IDisposable
{
    private readonly StreamReader _reader;
    private readonly List<(int Start, int Length)> _fields = [];
    private char[] _buffer = new char[1024];
    private int _used;
    private int _linesRead;

    public CsvRecordReader(string path)
    {
        Path = path;
        _reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
    }

    public string Path { get; }

    /// <summary>The line on which the current record started (1-based).</summary>
    public int LineNumber { get; private set; }

    public int FieldCount => _fields.Count;

    /// <summary>The field's text without surrounding whitespace.</summary>
    public ReadOnlySpan<char> Field(int index)
    {
        var (start, length) = _fields[index];
        return _buffer.AsSpan(start, length).Trim();
    }

    /// <summary>True when the record is one empty field (a blank line).</summary>
    public bool IsBlank => _fields.Count == 1 && Field(0).IsEmpty;

    /// <summary>Moves to the next record; false at the end of the file.</summary>
    public bool Read()
    {
        _fields.Clear();
        _used = 0;
        var line = _reader.ReadLine();
        if (line is null) return false;
        LineNumber = ++_linesRead;
        var i = 0;
        while (true)
        {
            var start = _used;
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        line = _reader.ReadLine() ?? throw new CsvFormatException($"{Path}: line {LineNumber} opens a quote that is never closed.");
                        _linesRead++;
                        Append('\n');
                        i = 0;
                        continue;
                    }
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            Append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    Append(line[i++]);
                }
                // Anything between the closing quote and the next comma is dropped.
                var comma = line.IndexOf(',', i);
                i = comma < 0 ? line.Length : comma;
            }
            else
            {
                var comma = line.IndexOf(',', i);
                var end = comma < 0 ? line.Length : comma;
                Append(line.AsSpan(i, end - i));
                i = end;
            }
            _fields.Add((start, _used - start));
            if (i >= line.Length) return true;
            i++; // the comma
        }
    }

    public void Dispose() => _reader.Dispose();

    private void Append(char c)
    {
        if (_used == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        _buffer[_used++] = c;
    }

    private void Append(ReadOnlySpan<char> text)
    {
        if (_used + text.Length > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _used + text.Length));
        text.CopyTo(_buffer.AsSpan(_used));
        _used += text.Length;
    }
}
