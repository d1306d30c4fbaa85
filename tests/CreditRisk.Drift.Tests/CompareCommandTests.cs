using System.Globalization;
using System.Text;
using System.Text.Json;
using CreditRisk.Drift.Service.Cli;

namespace CreditRisk.Drift.Tests;

/// <summary>The compare command, called in process on CSV files written to a temporary folder.</summary>
public sealed class CompareCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("drift-compare-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string WriteCsv(string name, int rows, double shift, ulong seed)
    {
        var stable = new SampleSpec(seed, rows, 0, 1, 4, 0).Generate();
        var shifted = new SampleSpec(seed + 1, rows, shift, 1, 4, 0).Generate();
        var grades = new SampleSpec(seed + 2, rows, 0, 1, 1, 3).Generate();
        var csv = new StringBuilder("stable,shifted,grade,comment\n");
        for (var i = 0; i < rows; i++)
        {
            var stableText = i % 97 == 0 ? "" : stable[i].ToString("R", CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"{stableText},{shifted[i]:R},{"ABC"[(int)grades[i]]},\"said \"\"hi\"\", left\"\n");
        }
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, csv.ToString());
        return path;
    }

    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CompareCommand.RunAsync(["compare", .. args], output, error, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Json_last_line_has_exactly_the_specified_shape_and_a_shifted_column_drifts()
    {
        var reference = WriteCsv("ref.csv", 600, 0, 10);
        var current = WriteCsv("cur.csv", 700, 0.8, 20);
        var (code, output, error) = await Run("--reference", reference, "--current", current, "--json");
        Assert.Equal(0, code);
        Assert.Equal("", error);

        var lines = output.TrimEnd('\n').Split('\n');
        using var json = JsonDocument.Parse(lines[^1]);
        var root = json.RootElement;
        Assert.Equal(["columns", "drift_share", "dataset_drift"], root.EnumerateObject().Select(p => p.Name));
        var columns = root.GetProperty("columns").EnumerateArray().ToArray();
        Assert.Equal(4, columns.Length);
        foreach (var column in columns)
        {
            Assert.Equal(["column", "method", "value", "threshold", "drifted"], column.EnumerateObject().Select(p => p.Name));
            Assert.Contains(column.GetProperty("method").GetString(), new[] { "ks", "chisquare", "z", "wasserstein", "jensenshannon", "psi", "kl" });
        }
        var byName = columns.ToDictionary(c => c.GetProperty("column").GetString()!);
        Assert.Equal("ks", byName["stable"].GetProperty("method").GetString());
        Assert.False(byName["stable"].GetProperty("drifted").GetBoolean());
        Assert.True(byName["stable"].GetProperty("value").GetDouble() > 0.05);
        Assert.True(byName["shifted"].GetProperty("drifted").GetBoolean());
        Assert.True(byName["shifted"].GetProperty("value").GetDouble() < 1e-6);
        Assert.Equal("chisquare", byName["grade"].GetProperty("method").GetString());
        Assert.Equal("z", byName["comment"].GetProperty("method").GetString());
        Assert.Equal(0.25, root.GetProperty("drift_share").GetDouble());
        Assert.False(root.GetProperty("dataset_drift").GetBoolean());
        Assert.Contains("stable", lines[0] + lines[1]);
    }

    [Fact]
    public async Task Large_reference_switches_to_distances_and_overrides_apply()
    {
        var reference = WriteCsv("ref.csv", 1500, 0, 30);
        var current = WriteCsv("cur.csv", 1200, 0.5, 40);
        var (code, output, _) = await Run("--reference", reference, "--current", current, "--json", "--column", "stable=psi:0.5", "--drift-share", "0.25");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output.TrimEnd('\n').Split('\n')[^1]);
        var byName = json.RootElement.GetProperty("columns").EnumerateArray().ToDictionary(c => c.GetProperty("column").GetString()!);
        Assert.Equal("psi", byName["stable"].GetProperty("method").GetString());
        Assert.Equal(0.5, byName["stable"].GetProperty("threshold").GetDouble());
        Assert.Equal("wasserstein", byName["shifted"].GetProperty("method").GetString());
        Assert.True(byName["shifted"].GetProperty("drifted").GetBoolean());
        Assert.Equal("jensenshannon", byName["grade"].GetProperty("method").GetString());
        Assert.True(json.RootElement.GetProperty("dataset_drift").GetBoolean());
    }

    [Fact]
    public async Task Html_report_is_self_contained_with_one_svg_per_column()
    {
        var reference = WriteCsv("ref.csv", 300, 0, 50);
        var current = WriteCsv("cur.csv", 300, 1.0, 60);
        var report = Path.Combine(_folder, "report.html");
        var (code, _, _) = await Run("--reference", reference, "--current", current, "--html", report);
        Assert.Equal(0, code);
        var html = await File.ReadAllTextAsync(report, TestContext.Current.CancellationToken);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Equal(4, CountOf(html, "<svg "));
        Assert.Contains("<rect", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("src=", html);
        Assert.DoesNotContain("href=", html);
        Assert.Contains("said &quot;hi&quot;, left", html);
    }

    [Fact]
    public async Task Missing_file_is_exit_2_naming_the_file()
    {
        var current = WriteCsv("cur.csv", 10, 0, 1);
        var missing = Path.Combine(_folder, "absent.csv");
        var (code, _, error) = await Run("--reference", missing, "--current", current);
        Assert.Equal(2, code);
        Assert.Contains(missing, error);
    }

    [Fact]
    public async Task Ragged_row_is_exit_2_naming_file_and_line()
    {
        var reference = Path.Combine(_folder, "ragged.csv");
        await File.WriteAllTextAsync(reference, "a,b\n1,2\n3\n", TestContext.Current.CancellationToken);
        var (code, _, error) = await Run("--reference", reference, "--current", WriteCsv("cur.csv", 10, 0, 1));
        Assert.Equal(2, code);
        Assert.Contains("ragged.csv: line 3", error);
    }

    [Fact]
    public async Task Unknown_method_or_column_or_missing_option_is_exit_2()
    {
        var reference = WriteCsv("ref.csv", 20, 0, 1);
        var current = WriteCsv("cur.csv", 20, 0, 2);
        Assert.Equal(2, (await Run("--reference", reference, "--current", current, "--column", "stable=magic")).Code);
        var (code, _, error) = await Run("--reference", reference, "--current", current, "--column", "nosuch=ks");
        Assert.Equal(2, code);
        Assert.Contains("nosuch", error);
        var textKs = await Run("--reference", reference, "--current", current, "--column", "grade=ks");
        Assert.Equal(2, textKs.Code);
        Assert.Contains("grade", textKs.Error);
        Assert.Equal(2, (await Run("--reference", reference)).Code);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
