using System.Text.RegularExpressions;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Testing.Processes;
using CreditRisk.Training.Pipeline;
using CreditRisk.Training.Steps;

namespace CreditRisk.Training.Bench.Tests;

/// <summary>The pipeline mode end to end on a small synthetic set: real PostgreSQL, the dev broker, the registry process.</summary>
public sealed class PipelineBenchmarkTests
{
    private static readonly string RegistryDll = Path.Combine(AppContext.BaseDirectory, RegistryProcess.Dll);

    [Fact]
    public async Task A_run_executes_the_six_steps_registers_a_champion_and_prints_a_figure_per_step()
    {
        var ct = TestContext.Current.CancellationToken;
        var csv = Path.GetTempFileName();
        SyntheticCreditData.Write(csv, 1_500, seed: 5);
        const string Model = "bench_test";
        var log = new StringWriter();
        try
        {
            await using var pipeline = await PipelineBenchmark.StartAsync(AppContext.BaseDirectory, RegistryDll,
                new Dictionary<string, IReadOnlyDictionary<string, string>>
                {
                    [Model] = new Dictionary<string, string> { ["folds"] = "3", ["trials"] = "1", ["seed"] = "5" },
                }, log, ct);

            var run = await pipeline.MeasureAsync("synthetic 1500", Model, csv, seed: 5, ct);
            PipelineReport.Print(run, trials: 1, log);

            Assert.True(run.Succeeded, $"{run.Status}: {run.FailureReason}\n{log}");
            Assert.Equal(1_500, run.Rows);
            Assert.Equal(TrainingStepNames.InOrder, run.Steps.Select(step => step.Name));
            Assert.All(run.Steps, step =>
            {
                Assert.Equal(StepStatuses.Succeeded, step.Status);
                Assert.Equal(1, step.Attempts);
                Assert.True(step.Duration > TimeSpan.Zero, $"{step.Name} recorded no duration");
            });
            Assert.InRange(double.Parse(run.Results["cv_roc_auc"], System.Globalization.CultureInfo.InvariantCulture), 0.6, 1.0);
            Assert.InRange(double.Parse(run.Results["oot_roc_auc"], System.Globalization.CultureInfo.InvariantCulture), 0.6, 1.0);
            Assert.Equal("champion", run.Results["decision"]);

            var champion = await pipeline.RegistryClient.GetModelVersionByAliasAsync(
                new GetModelVersionByAliasRequest { ModelName = Model, Alias = "champion" }, cancellationToken: ct);
            Assert.Equal(int.Parse(run.Results["model_version"], System.Globalization.CultureInfo.InvariantCulture), champion.Version);
            Assert.Equal("credit_default_application", champion.FeatureService);

            var printed = log.ToString();
            foreach (var step in TrainingStepNames.InOrder)
            {
                Assert.Matches(new Regex($@"(?m)^{step}\s+succeeded\s+1\s+\d+\.\d\ds"), printed);
            }
            Assert.Contains("oot_roc_auc", printed, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(csv);
        }
    }
}
