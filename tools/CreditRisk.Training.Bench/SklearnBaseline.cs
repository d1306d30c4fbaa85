using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace CreditRisk.Training.Bench;

/// <summary>Runs sklearn_baseline.py on a CSV with the bench's own fold assignment, so both sides see the same splits.</summary>
public static class SklearnBaseline
{
    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "sklearn_baseline.py");

    /// <summary>Null (with the reason printed) when python or scikit-learn is not there, so the bench goes on without it.</summary>
    public static SklearnResult? Run(string python, string csv, string label, string positive, int[] foldOfRow, TextWriter output)
    {
        var foldsFile = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(foldsFile, foldOfRow.Select(fold => fold.ToString(CultureInfo.InvariantCulture)));
            var start = new ProcessStartInfo(python)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { Script, csv, label, positive, foldsFile })
            {
                start.ArgumentList.Add(argument);
            }
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                output.WriteLine($"scikit-learn side skipped: {python} exited with {process.ExitCode}: {LastLine(stderr.Result)}");
                return null;
            }
            return JsonSerializer.Deserialize<SklearnResult>(LastLine(stdout));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            output.WriteLine($"scikit-learn side skipped: cannot start {python}: {e.Message}");
            return null;
        }
        finally
        {
            File.Delete(foldsFile);
        }
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
}
