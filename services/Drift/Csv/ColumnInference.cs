using System.Globalization;
using CreditRisk.Drift.Columns;

namespace CreditRisk.Drift.Service.Csv;

/// <summary>
/// Turns the columns both files share into samples of one kind: numeric when every non-empty value in both files
/// parses as a double (invariant culture), text otherwise. Empty values are missing.
/// </summary>
public static class ColumnInference
{
    public static (List<ColumnSample> Reference, List<ColumnSample> Current) Infer(CsvTable reference, CsvTable current)
    {
        var shared = reference.Header.Where(h => current.Header.Contains(h)).ToArray();
        if (shared.Length == 0)
            throw new CsvFormatException($"{reference.Path} and {current.Path} share no column name.");
        var referenceSamples = new List<ColumnSample>(shared.Length);
        var currentSamples = new List<ColumnSample>(shared.Length);
        foreach (var name in shared)
        {
            var r = reference.Column(name);
            var c = current.Column(name);
            if (TryParseAll(r, out var rValues) && TryParseAll(c, out var cValues))
            {
                referenceSamples.Add(ColumnSample.Numeric(name, rValues));
                currentSamples.Add(ColumnSample.Numeric(name, cValues));
            }
            else
            {
                referenceSamples.Add(ColumnSample.Categorical(name, r));
                currentSamples.Add(ColumnSample.Categorical(name, c));
            }
        }
        return (referenceSamples, currentSamples);
    }

    private static bool TryParseAll(IReadOnlyList<string?> values, out double[] parsed)
    {
        parsed = new double[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            if (value is null)
            {
                parsed[i] = double.NaN;
                continue;
            }
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out parsed[i])) return false;
        }
        return true;
    }
}
