using System.Globalization;
using System.Text;

namespace CreditRisk.DataImport;

/// <summary>
/// Reads credit_data.csv-shaped files: a header naming the 14 columns (any order, any case), then one
/// row per applicant; fields optionally double-quoted (RFC 4180), empty fields are missing values.
/// </summary>
public static class CreditDataCsvReader
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "Status", "Seniority", "Home", "Time", "Age", "Marital", "Records", "Job",
        "Expenses", "Income", "Assets", "Debt", "Amount", "Price",
    ];

    public static IEnumerable<CreditDataRow> ReadFile(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        foreach (var row in Read(reader))
        {
            yield return row;
        }
    }

    public static IEnumerable<CreditDataRow> Read(TextReader reader)
    {
        var header = reader.ReadLine() ?? throw new CsvFormatException("line 1: the file is empty (expected a header)");
        var names = SplitLine(header, 1);
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Count; i++)
        {
            index[names[i].Trim()] = i;
        }
        var missing = Columns.Where(column => !index.ContainsKey(column)).ToList();
        if (missing.Count > 0)
        {
            throw new CsvFormatException($"line 1: missing column(s) {string.Join(", ", missing)}");
        }

        var lineNumber = 1;
        var rowNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }
            var fields = SplitLine(line, lineNumber);
            if (fields.Count != names.Count)
            {
                throw new CsvFormatException($"line {lineNumber}: {fields.Count} fields, the header has {names.Count}");
            }
            rowNumber++;
            string? Text(string column) => fields[index[column]] is { Length: > 0 } value ? value : null;
            yield return new CreditDataRow(
                rowNumber,
                Status: Text("Status"),
                Seniority: Integer(Text("Seniority"), "Seniority", lineNumber),
                Home: Text("Home"),
                Time: Integer(Text("Time"), "Time", lineNumber),
                Age: Integer(Text("Age"), "Age", lineNumber),
                Marital: Text("Marital"),
                Records: Text("Records"),
                Job: Text("Job"),
                Expenses: Number(Text("Expenses"), "Expenses", lineNumber),
                Income: Number(Text("Income"), "Income", lineNumber),
                Assets: Number(Text("Assets"), "Assets", lineNumber),
                Debt: Number(Text("Debt"), "Debt", lineNumber),
                Amount: Number(Text("Amount"), "Amount", lineNumber),
                Price: Number(Text("Price"), "Price", lineNumber));
        }
    }

    private static int? Integer(string? text, string column, int line)
    {
        if (text is null || text.Equals("NA", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        // Integral columns may be written as "12.0" by some exporters.
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value == Math.Floor(value)
            && value is >= int.MinValue and <= int.MaxValue)
        {
            return (int)value;
        }
        throw new CsvFormatException($"line {line}: {column} \"{text}\" is not a whole number");
    }

    private static double? Number(string? text, string column, int line)
    {
        if (text is null || text.Equals("NA", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new CsvFormatException($"line {line}: {column} \"{text}\" is not a number");
    }

    /// <summary>Splits one line into fields; quoted fields may contain commas and doubled quotes.</summary>
    internal static List<string> SplitLine(string line, int lineNumber)
    {
        var fields = new List<string>(16);
        var field = new StringBuilder();
        var i = 0;
        while (true)
        {
            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        throw new CsvFormatException($"line {lineNumber}: unterminated quoted field");
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
                if (i < line.Length && line[i] != ',')
                {
                    throw new CsvFormatException($"line {lineNumber}: text after a closing quote at column {i + 1}");
                }
            }
            else
            {
                while (i < line.Length && line[i] != ',')
                {
                    field.Append(line[i++]);
                }
            }
            fields.Add(field.ToString().Trim());
            if (i >= line.Length)
            {
                return fields;
            }
            i++; // the comma
        }
    }
}
