using CreditRisk.Contracts.Scoring.V1;

namespace CreditRisk.Scoring.Bench;

/// <summary>
/// Every scenario against the target and its transport floor (the empty call at concurrency 1), then the same requests
/// (same seed) against the Python baseline, and the table.
/// </summary>
public static class ScoringBenchmark
{
    public static async Task<int> RunAsync(BenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var requests = ScoreRequests.FromFile(options.File, options.Seed, options.ModelName);
        var runner = new LoadRunner(requests, options.Warmup, options.Duration);
        output.WriteLine($"{requests.Count} applications from {options.File}, seed {options.Seed}; warm-up {options.Warmup.TotalSeconds:0} s, measured {options.Duration.TotalSeconds:0} s per scenario");

        var target = new List<ScenarioResult>();
        if (options.HasTarget)
        {
            using var scoring = new ScoringTarget("target", options.Target, options.ApiKey);
            target.AddRange(await RunAllAsync(runner, scoring, options, output, cancellationToken));
            target.Add(await RunScenarioAsync(runner, scoring, Scenario.TransportFloor(), scoring.ServerLiveAsync, output, cancellationToken));
        }

        List<ScenarioResult>? baseline = null;
        if (options.Python is not null)
        {
            await using var python = await PythonBaseline.StartAsync(options.Python, options.File, output, TimeSpan.FromMinutes(2), cancellationToken);
            if (python is not null)
            {
                using var scoring = new ScoringTarget("baseline", python.Address, apiKey: null);
                baseline = await RunAllAsync(runner, scoring, options, output, cancellationToken);
            }
        }

        output.WriteLine();
        output.Write(options.HasTarget ? BenchReport.Format(target, baseline) : BenchReport.Format(baseline ?? [], null));
        return 0;
    }

    private static async Task<List<ScenarioResult>> RunAllAsync(
        LoadRunner runner, ScoringTarget scoring, BenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var results = new List<ScenarioResult>();
        foreach (var scenario in options.Scenarios())
        {
            results.Add(await RunScenarioAsync(runner, scoring, scenario, scoring.ScoreAsync, output, cancellationToken));
        }
        return results;
    }

    private static async Task<ScenarioResult> RunScenarioAsync(LoadRunner runner, ScoringTarget scoring, Scenario scenario,
        Func<ScoreRequest, CancellationToken, Task> call, TextWriter output, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(scoring.Name, scenario, call, cancellationToken);
        output.WriteLine($"{scoring.Name,-8} {scenario.Name,-18} {result.Latency}  {result.RequestsPerSecond:0} req/s  {result.Errors} errors");
        return result;
    }
}
