using System.CommandLine;
using System.Text.Json;
using CreditRisk.Training.Commands;

namespace CreditRisk.Modeling.Tests;

public sealed class TrainCsvCommandTests
{
    [Fact]
    public async Task Json_ends_with_one_line_naming_the_winner_and_every_candidate()
    {
        var file = SyntheticCreditData.WriteFile(300, seed: 11);
        try
        {
            var (exitCode, output, error) = await RunAsync(
                "train-csv", "--file", file, "--label", "Status", "--positive", "bad", "--folds", "3", "--seed", "42", "--trials", "1", "--json");

            Assert.True(exitCode == 0, error);
            var lastLine = output.TrimEnd().Split('\n')[^1];
            using var json = JsonDocument.Parse(lastLine);
            var root = json.RootElement;
            Assert.Equal(["winner", "cv_roc_auc", "candidates"], root.EnumerateObject().Select(p => p.Name));
            var candidates = root.GetProperty("candidates").EnumerateArray()
                .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("cv_roc_auc").GetDouble());
            Assert.Equal(["lightgbm", "fasttree", "logistic-regression"], candidates.Keys);
            var winner = root.GetProperty("winner").GetString()!;
            Assert.Equal(candidates.Values.Max(), candidates[winner]);
            Assert.Equal(candidates[winner], root.GetProperty("cv_roc_auc").GetDouble());
            Assert.InRange(candidates[winner], 0.6, 1);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("Status,Age\nbad,30\ngood,40,1\n", "Status", "line 3: 3 fields, the header has 2")]
    [InlineData("Status,Age\nbad,30\ngood,40\n", "Outcome", "label column \"Outcome\" is not in the file")]
    [InlineData("", "Status", "the file is empty")]
    [InlineData("Status,Age\ngood,30\ngood,40\n", "Status", "has one class only")]
    [InlineData("Status,Age\nbad,30\ngood,40\ngood,50\n", "Status", "the smaller class has 1")]
    public async Task Bad_input_exits_non_zero_naming_the_problem(string csv, string label, string expected)
    {
        var file = Path.Combine(Path.GetTempPath(), $"creditrisk-bad-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, csv, TestContext.Current.CancellationToken);
        try
        {
            var (exitCode, _, error) = await RunAsync("train-csv", "--file", file, "--label", label, "--positive", "bad");

            Assert.Equal(TrainCsvCommand.BadInputExitCode, exitCode);
            Assert.Contains(expected, error);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_file_that_does_not_exist_is_named()
    {
        var (exitCode, _, error) = await RunAsync("train-csv", "--file", "/nonexistent/x.csv", "--label", "Status", "--positive", "bad");

        Assert.Equal(TrainCsvCommand.BadInputExitCode, exitCode);
        Assert.Contains("/nonexistent/x.csv does not exist", error);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await TrainingCommandLine.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }
}
