using System.CommandLine;
using System.Globalization;
using CreditRisk.Drift.Methods;
using CreditRisk.Drift.Service.Csv;
using CreditRisk.Drift.Service.Reports;

namespace CreditRisk.Drift.Service.Cli;

/// <summary>
/// `compare --reference R.csv --current C.csv [--json] [--html report.html] [--drift-share 0.5] [--column NAME=METHOD[:THRESHOLD]]...`:
/// Evidently's default tests on the columns both files share, a table, and optionally the JSON line and an HTML report.
/// Exit code 0 when the comparison ran (drift or not), 2 on bad input.
/// </summary>
public static class CompareCommand
{
    public const string Name = "compare";
    public const int Success = 0;
    public const int BadInput = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var reference = new Option<string>("--reference") { Description = "the reference CSV file (header row)", Required = true };
        var current = new Option<string>("--current") { Description = "the current CSV file (header row)", Required = true };
        var json = new Option<bool>("--json") { Description = "print the result as one JSON object on the last line" };
        var html = new Option<string?>("--html") { Description = "write a self-contained HTML report to this file" };
        var driftShare = new Option<double>("--drift-share") { Description = "the share of drifted columns at which the dataset drifts", DefaultValueFactory = _ => DriftOptions.DefaultDriftShareThreshold };
        var columns = new Option<string[]>("--column") { Description = "a column's method and threshold, NAME=METHOD[:THRESHOLD] (methods: ks, chisquare, z, wasserstein, jensenshannon, psi, kl)", AllowMultipleArgumentsPerToken = false };
        var compare = new Command(Name, "Compares two CSV files column by column as Evidently's data drift preset does.") { reference, current, json, html, driftShare, columns };
        var root = new RootCommand("The CreditRisk drift service.") { compare };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors) await error.WriteLineAsync(parseError.Message);
            return BadInput;
        }
        if (parsed.CommandResult.Command != compare)
        {
            await error.WriteLineAsync("Usage: compare --reference R.csv --current C.csv [--json] [--html report.html]");
            return BadInput;
        }
        try
        {
            var options = new DriftOptions
            {
                DriftShareThreshold = parsed.GetValue(driftShare),
                Columns = ParseColumnOptions(parsed.GetValue(columns) ?? []),
            };
            if (options.DriftShareThreshold is < 0 or > 1 || double.IsNaN(options.DriftShareThreshold))
                throw new CsvFormatException("--drift-share must lie between 0 and 1.");
            var result = Compare(parsed.GetValue(reference)!, parsed.GetValue(current)!, options);
            TextReport.Write(result, output);
            if (parsed.GetValue(html) is { } htmlPath)
            {
                await File.WriteAllTextAsync(htmlPath, HtmlReport.Render(result, parsed.GetValue(reference)!, parsed.GetValue(current)!), cancellationToken);
                await output.WriteLineAsync($"HTML report: {htmlPath}");
            }
            if (parsed.GetValue(json)) await output.WriteLineAsync(JsonReport.Render(result));
            return Success;
        }
        catch (Exception e) when (e is CsvFormatException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"compare: {e.Message}");
            return BadInput;
        }
    }

    /// <summary>Reads both files, infers each shared column's kind, and runs the tests.</summary>
    public static DatasetDriftResult Compare(string referencePath, string currentPath, DriftOptions options)
    {
        var referenceTable = CsvTable.Read(referencePath);
        var currentTable = CsvTable.Read(currentPath);
        foreach (var name in options.Columns.Keys)
            if (!referenceTable.Header.Contains(name) || !currentTable.Header.Contains(name))
                throw new CsvFormatException($"--column {name}: no such column in both {referencePath} and {currentPath}.");
        var (referenceSamples, currentSamples) = ColumnInference.Infer(referenceTable, currentTable);
        return DriftDetector.Compare(referenceSamples, currentSamples, options);
    }

    private static Dictionary<string, ColumnDriftOptions> ParseColumnOptions(string[] specs)
    {
        var result = new Dictionary<string, ColumnDriftOptions>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            var equals = spec.LastIndexOf('=');
            if (equals <= 0) throw new CsvFormatException($"--column {spec}: expected NAME=METHOD[:THRESHOLD].");
            var name = spec[..equals];
            var rest = spec[(equals + 1)..].Split(':', 2);
            if (!DriftMethods.TryParse(rest[0], out var method)) throw new CsvFormatException($"--column {spec}: unknown method '{rest[0]}'.");
            double? threshold = null;
            if (rest.Length == 2)
            {
                if (!double.TryParse(rest[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var t) || !double.IsFinite(t))
                    throw new CsvFormatException($"--column {spec}: the threshold '{rest[1]}' is not a number.");
                threshold = t;
            }
            result[name] = new ColumnDriftOptions(method, threshold);
        }
        return result;
    }
}
