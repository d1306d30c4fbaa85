using System.Text;
using System.Text.Json;
using CreditRisk.Drift.Methods;

namespace CreditRisk.Drift.Service.Reports;

/// <summary>
/// The one-line JSON object of `compare --json`:
/// {"columns": [{"column", "method", "value", "threshold", "drifted"}], "drift_share", "dataset_drift"}.
/// A column that could not be tested (empty on one side) has "value": null.
/// </summary>
public static class JsonReport
{
    public static string Render(DatasetDriftResult result)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteStartArray("columns");
            foreach (var column in result.Columns)
            {
                json.WriteStartObject();
                json.WriteString("column", column.Column);
                json.WriteString("method", column.Method.Name());
                WriteNumber(json, "value", column.Value);
                WriteNumber(json, "threshold", column.Threshold);
                json.WriteBoolean("drifted", column.Drifted);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            WriteNumber(json, "drift_share", result.DriftShare);
            json.WriteBoolean("dataset_drift", result.DatasetDrift);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value)) json.WriteNumber(name, value);
        else json.WriteNull(name);
    }
}
