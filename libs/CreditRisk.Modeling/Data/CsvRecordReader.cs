using System.Text;

namespace CreditRisk.Modeling.Data;

/// <summary>
/// RFC 4180 records: comma-separated fields, optionally double-quoted; a quoted field may hold commas,
/// doubled quotes and line breaks. CRLF and LF both end a record; blank lines are skipped.
/// </summary>
public static class CsvRecordReader
{
    public static IEnumerable<CsvRecord> Read(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var inQuotes = false;
        var fieldWasQuoted = false;
        var recordHasContent = false;

        while (true)
        {
            var next = reader.Read();
            if (next < 0)
            {
                if (inQuotes)
                {
                    throw new TabularDataException($"line {recordLine}: a quoted field is not closed before the end of the file");
                }
                if (recordHasContent || field.Length > 0 || fields.Count > 0)
                {
                    fields.Add(field.ToString());
                    yield return new CsvRecord(recordLine, fields);
                }
                yield break;
            }

            var c = (char)next;
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }
                    field.Append(c);
                }
                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0 && !fieldWasQuoted:
                    inQuotes = true;
                    fieldWasQuoted = true;
                    recordHasContent = true;
                    break;
                case '"':
                    throw new TabularDataException($"line {line}: a quote inside an unquoted field (quote the whole field and double the quote)");
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldWasQuoted = false;
                    recordHasContent = true;
                    break;
                case '\r' when reader.Peek() == '\n':
                    break;
                case '\r' or '\n':
                    if (recordHasContent || field.Length > 0)
                    {
                        fields.Add(field.ToString());
                        yield return new CsvRecord(recordLine, fields);
                        fields = [];
                    }
                    field.Clear();
                    fieldWasQuoted = false;
                    recordHasContent = false;
                    line++;
                    recordLine = line;
                    break;
                default:
                    if (fieldWasQuoted)
                    {
                        throw new TabularDataException($"line {line}: text after a quoted field's closing quote");
                    }
                    field.Append(c);
                    recordHasContent = true;
                    break;
            }
        }
    }
}
