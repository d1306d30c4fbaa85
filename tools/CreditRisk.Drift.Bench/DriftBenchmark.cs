using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CreditRisk.Drift.Columns;
using CreditRisk.Drift.Methods;
using CreditRisk.Drift.Service.Reports;

namespace CreditRisk.Drift.Bench;

/// <summary>
/// Times the C# side from raw arrays to the HTML report (building each column's sample, which sorts it, every
/// column's test, the report), then runs the Python baseline on the same arrays and prints both and their ratio.
/// </summary>
public static class DriftBenchmark
{
    public static async Task<int> RunAsync(int rows, int referenceRows, int columns, int repeat, string? python, TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Drift bench: {rows:N0} current rows x {columns} columns against {referenceRows:N0} reference rows, {Environment.ProcessorCount} cores"));
        var data = BenchColumn.Generate(referenceRows, rows, columns);
        var text = data.Select(c => c.IsText ? (c.ReferenceText(), c.CurrentText()) : default).ToArray();

        var times = new List<(double Prepare, double Test, double Report)>();
        DatasetDriftResult? result = null;
        for (var run = 0; run < repeat; run++)
        {
            var clock = Stopwatch.StartNew();
            var reference = new ColumnSample[columns];
            var current = new ColumnSample[columns];
            Parallel.For(0, columns * 2, k =>
            {
                var i = k / 2;
                var c = data[i];
                if (k % 2 == 0) reference[i] = c.IsText ? ColumnSample.Categorical(c.Name, text[i].Item1) : ColumnSample.Numeric(c.Name, (double[])c.Reference.Clone());
                else current[i] = c.IsText ? ColumnSample.Categorical(c.Name, text[i].Item2) : ColumnSample.Numeric(c.Name, (double[])c.Current.Clone());
            });
            var prepared = clock.Elapsed.TotalSeconds;
            result = DriftDetector.Compare(reference, current);
            var tested = clock.Elapsed.TotalSeconds;
            var html = HtmlReport.Render(result, "reference", "current");
            var reported = clock.Elapsed.TotalSeconds;
            if (html.Length == 0) throw new InvalidOperationException("Empty report.");
            times.Add((prepared, tested - prepared, reported - tested));
        }
        // The array copies for numeric columns are inside the timing; they are a small part of the sort.
        var totals = times.Select(t => t.Prepare + t.Test + t.Report).Order().ToArray();
        var best = times.MinBy(t => t.Prepare + t.Test + t.Report);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"C#: best {totals[0]:F3} s, median {totals[totals.Length / 2]:F3} s of {repeat} (best run: samples and sort {best.Prepare:F3} s, tests {best.Test:F3} s, HTML {best.Report:F3} s)"));
        foreach (var c in result!.Columns)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {c.Column,-10} {c.Method.Name(),-14} {c.Value,14:G8}  drifted {c.Drifted}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  drift share {result.DriftShare:F2}, dataset drift {result.DatasetDrift}"));

        if (python is null) return 0;
        var folder = Directory.CreateTempSubdirectory("drift-bench-").FullName;
        try
        {
            for (var i = 0; i < columns; i++)
            {
                await File.WriteAllBytesAsync(Path.Combine(folder, $"ref_{i}.bin"), ToBytes(data[i].Reference), cancellationToken);
                await File.WriteAllBytesAsync(Path.Combine(folder, $"cur_{i}.bin"), ToBytes(data[i].Current), cancellationToken);
            }
            var manifest = JsonSerializer.Serialize(new { methods = result.Columns.Select(c => c.Method.Name()).ToArray() });
            await File.WriteAllTextAsync(Path.Combine(folder, "manifest.json"), manifest, cancellationToken);
            var script = Path.Combine(AppContext.BaseDirectory, "python", "drift_baseline.py");
            var start = new ProcessStartInfo(python, [script, folder]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{python} did not start.");
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                output.WriteLine($"Python baseline failed ({process.ExitCode}): {await stderr}");
                return 1;
            }
            using var answer = JsonDocument.Parse((await stdout).Trim().Split('\n')[^1]);
            var seconds = answer.RootElement.GetProperty("test_seconds").GetDouble();
            var values = answer.RootElement.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            var worst = 0.0;
            for (var i = 0; i < values.Length; i++)
            {
                var expected = values[i];
                var actual = result.Columns[i].Value;
                var difference = Math.Abs(expected - actual);
                worst = Math.Max(worst, difference <= 1e-12 ? 0 : difference / Math.Abs(expected));
            }
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Python (numpy/scipy, text as codes, tests only, one core): {seconds:F3} s; ratio Python / C# best = {seconds / totals[0]:F1}x; largest relative difference of values {worst:E2}"));
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static byte[] ToBytes(double[] values)
    {
        var bytes = new byte[values.Length * sizeof(double)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return bytes;
    }
}
