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
        var text = shared.Where(name => reference.Numbers(name) is null || current.Numbers(name) is null).ToArray();
        reference.LoadText(text);
        current.LoadText(text);
        var referenceSamples = new List<ColumnSample>(shared.Length);
        var currentSamples = new List<ColumnSample>(shared.Length);
        foreach (var name in shared)
        {
            if (text.Contains(name))
            {
                referenceSamples.Add(ColumnSample.Categorical(name, reference.Column(name)));
                currentSamples.Add(ColumnSample.Categorical(name, current.Column(name)));
            }
            else
            {
                // Copies: a sample sorts its array in place, and the tables stay as read.
                referenceSamples.Add(ColumnSample.Numeric(name, (double[])reference.Numbers(name)!.Clone()));
                currentSamples.Add(ColumnSample.Numeric(name, (double[])current.Numbers(name)!.Clone()));
            }
        }
        return (referenceSamples, currentSamples);
    }
}
