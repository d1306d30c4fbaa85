using System.Globalization;
using CreditRisk.Drift.Methods;

namespace CreditRisk.Drift.Service.Reports;

/// <summary>The readable table of `compare`: one row per column, then the dataset verdict.</summary>
public static class TextReport
{
    public static void Write(DatasetDriftResult result, TextWriter output)
    {
        var width = Math.Max(6, result.Columns.Count == 0 ? 0 : result.Columns.Max(c => c.Column.Length));
        output.WriteLine($"{"column".PadRight(width)}  {"type",-11}  {"method",-13}  {"value",12}  {"threshold",9}  {"drift",-5}  {"missing ref/cur",-15}");
        foreach (var c in result.Columns)
        {
            var value = c.Tested ? c.Value.ToString("G6", CultureInfo.InvariantCulture) : "untested";
            output.WriteLine($"{c.Column.PadRight(width)}  {c.Kind.ToString().ToLowerInvariant(),-11}  {c.Method.Name(),-13}  {value,12}  " +
                $"{c.Threshold.ToString("G4", CultureInfo.InvariantCulture),9}  {(c.Drifted ? "yes" : "no"),-5}  {c.ReferenceMissing}/{c.CurrentMissing}");
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Drifted columns: {result.DriftedCount} of {result.Columns.Count} ({result.DriftShare:P1}); dataset drift (share >= {result.DriftShareThreshold:G4}): {(result.DatasetDrift ? "yes" : "no")}"));
    }
}
