using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using CreditRisk.Contracts.Drift.V1;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Contracts.Training.V1;
using Spectre.Console;

namespace CreditRisk.Scenario;

/// <summary>
/// Steps 3 to 6 of the local loop against the running services: an experiment and live traffic, the population's
/// shift, drift and its retrain request, the retrain run and its promotion decision, the swap under load. Every wait
/// is a poll with a deadline, printing the traffic's counts while it waits.
/// </summary>
public sealed class ScenarioRunner(ScenarioOptions options, PlatformClients clients, TrafficSource traffic, IAnsiConsole console)
{
    private const string ChampionAlias = "champion";
    private const string ChallengerAlias = "challenger";
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan AfterSwap = TimeSpan.FromSeconds(5);

    /// <summary>The services one application's trace passes through: its submission's and its score's.</summary>
    private static readonly string[] ExpectedTraceServices = ["scenario", "ingestion", "features", "scoring", "drift"];

    private readonly Stopwatch _clock = new();

    public async Task<ScenarioReport> RunAsync(CancellationToken cancellationToken)
    {
        _clock.Start();
        var model = options.ModelName;
        var champion = await clients.Registry.GetModelVersionByAliasAsync(
            new GetModelVersionByAliasRequest { ModelName = model, Alias = ChampionAlias }, cancellationToken: cancellationToken);
        var report = new ScenarioReport { FirstChampion = champion };
        var generator = new LoadGenerator(clients, traffic, options);
        report.Traffic = generator.Counters;

        using var stopLoad = new CancellationTokenSource();
        Task? load = null;
        try
        {
            report.ExperimentRevision = await SetExperimentAsync(cancellationToken);
            Step(3, $"serving {model} v{champion.Version} with an experiment (registry revision {report.ExperimentRevision}): " +
                $"{options.ChallengerWeight:P0} of customers to the challenger, which also scores every request in shadow; " +
                $"{options.Rate:0} new applications/s, each scored and submitted through ingestion");
            await clients.ConnectScoringAsync(cancellationToken);
            load = generator.RunAsync(stopLoad.Token);
            await WaitAsync("baseline traffic", generator.Counters,
                _ => Task.FromResult(generator.Counters.Scored >= options.BaselineApplications ? (bool?)true : null), cancellationToken);
            report.BaselineScored = generator.Counters.Scored;

            var shiftedAt = DateTimeOffset.UtcNow;
            generator.Shift();
            var shift = options.Shift;
            Step(4, string.Create(CultureInfo.InvariantCulture,
                $"the population shifts: incomes ×{shift.IncomeFactor}, amounts ×{shift.AmountFactor}, {shift.PlatformShare:P0} platform workers " +
                $"(a job category v{champion.Version} never saw); their outcomes are simulated and recorded as they are scored"));

            report.DriftedReport = await WaitAsync("a drift report on the shifted traffic", generator.Counters,
                ct => DriftedReportAsync(champion.Version, shiftedAt, ct), cancellationToken);
            Step(5, "drift monitoring: " + DriftVerdicts.Describe(report.DriftedReport) +
                $" (report {report.DriftedReport.ReportId}); {generator.Counters.OutcomesRecorded} outcomes of the shifted population recorded");
            if (report.DriftedReport.Alerts.Count == 0)
            {
                report.Incomplete = "the drifted report raised no retrain request (inside drift's alert cool-down?)";
                return report;
            }

            report.RetrainRun = await WaitAsync("training's retrain run", generator.Counters,
                ct => RetrainRunAsync(report.DriftedReport.ReportId, ct), cancellationToken);
            var shown = "";
            generator.Counters.Training = true;
            report.RetrainRun = await WaitAsync("the retrain run to finish", generator.Counters, async ct =>
            {
                var run = await clients.Training.GetRunAsync(new CreditRisk.Contracts.Training.V1.GetRunRequest { RunId = report.RetrainRun.RunId }, cancellationToken: ct);
                var state = string.Join(" ", run.Steps.Select(step => $"{step.Name}:{step.Status.ToString().ToLowerInvariant()}"));
                if (state != shown)
                {
                    shown = state;
                    Line($"  retrain run {run.RunId} ({run.Trigger}): {state}");
                }
                return run.Status is PipelineRunStatus.Succeeded or PipelineRunStatus.Failed or PipelineRunStatus.Cancelled ? run : null;
            }, cancellationToken);
            generator.Counters.Training = false;
            if (report.RetrainRun.Status != PipelineRunStatus.Succeeded)
            {
                report.Incomplete = $"the retrain run ended {report.RetrainRun.Status}: {report.RetrainRun.FailureReason}";
                return report;
            }
            var promoted = RunOutputs.Of(report.RetrainRun, "promote");
            report.PromotionDecision = promoted.GetValueOrDefault("decision", "");
            report.PromotionReason = promoted.GetValueOrDefault("reason", "");
            var newVersion = int.Parse(promoted.GetValueOrDefault("model_version", "0"), CultureInfo.InvariantCulture);
            report.NewVersion = await clients.Registry.GetModelVersionAsync(
                new GetModelVersionRequest { ModelName = model, Version = newVersion }, cancellationToken: cancellationToken);
            Step(6, $"retrained on the shifted population's outcomes: v{newVersion} {report.PromotionDecision}: {report.PromotionReason}");

            var championNow = await clients.Registry.GetModelVersionByAliasAsync(
                new GetModelVersionByAliasRequest { ModelName = model, Alias = ChampionAlias }, cancellationToken: cancellationToken);
            if (championNow.Version == newVersion)
            {
                await WaitAsync($"scoring to serve v{newVersion} as champion", generator.Counters,
                    _ => Task.FromResult(generator.Counters.ChampionVersion >= newVersion ? (bool?)true : null), cancellationToken);
                report.SwappedAtScored = generator.Counters.Scored;
                Line($"  scoring swapped to v{newVersion} after {report.SwappedAtScored} requests, {generator.Counters.ScoreFailed} failed so far; traffic goes on for {AfterSwap.TotalSeconds:0} s");
            }
            else
            {
                Line($"  v{championNow.Version} stays champion; v{newVersion} is the challenger (its arm and the shadow serve it)");
            }
            await Task.Delay(AfterSwap, cancellationToken);
            return report;
        }
        catch (TimeoutException timedOut)
        {
            report.Incomplete = timedOut.Message;
            return report;
        }
        finally
        {
            await stopLoad.CancelAsync();
            if (load is not null)
            {
                await load;
            }
            report.Latency = generator.Counters.ScoreLatency.Summary();
            report.LatencyWhileTraining = generator.Counters.ScoreLatencyWhileTraining.Summary();
            report.SampleTrace = generator.Sample;
            if (report.SampleTrace is { } sample)
            {
                report.SampleTraceCheck = await CheckTraceAsync(sample.TraceId);
            }
            report.Reports = await ReportsAsync(CancellationToken.None);
            try
            {
                report.Replicas = await ReplicaView.ReadAsync(options.KafkaBootstrapServers, TimeSpan.FromSeconds(10));
            }
            catch (KafkaException unavailable)
            {
                report.ReplicasUnavailable = unavailable.Error.Reason;
            }
            report.Elapsed = _clock.Elapsed;
        }
    }

    /// <summary>The sample trace in the viewer, given time to receive every service's spans; null when the viewer cannot be reached.</summary>
    private async Task<TraceCheck?> CheckTraceAsync(string traceId)
    {
        try
        {
            return await TraceCheck.ReadAsync(options.Dashboard, traceId, ExpectedTraceServices, TimeSpan.FromSeconds(15), CancellationToken.None);
        }
        catch (HttpRequestException unreachable)
        {
            Line($"  the trace viewer at {options.Dashboard} could not be asked: {unreachable.Message}");
            return null;
        }
    }

    private async Task<long> SetExperimentAsync(CancellationToken cancellationToken)
    {
        var request = new SetServingExperimentRequest
        {
            ModelName = options.ModelName,
            Reason = "scenario: a challenger share and the challenger in shadow",
            Arms =
            {
                new ServingArm { Name = ChampionAlias, Alias = ChampionAlias, Weight = 1 - options.ChallengerWeight },
                new ServingArm { Name = ChallengerAlias, Alias = ChallengerAlias, Weight = options.ChallengerWeight },
                new ServingArm { Name = "shadow", Alias = ChallengerAlias, Shadow = true },
            },
        };
        var experiment = await clients.Registry.SetServingExperimentAsync(request, cancellationToken: cancellationToken);
        return experiment.Revision;
    }

    /// <summary>
    /// The served stream's first report after the shift that found drift or raised a retrain request (prediction drift
    /// or a performance drop raise one without dataset drift), once drift published it.
    /// </summary>
    private async Task<DriftReportPublished?> DriftedReportAsync(int version, DateTimeOffset shiftedAt, CancellationToken cancellationToken) =>
        (await ReportsAsync(cancellationToken))
            .Where(report => report.Served && report.ModelVersion == version && (report.DriftDetected || report.Alerts.Count > 0)
                && report.WindowEnd.ToDateTimeOffset() > shiftedAt)
            .MinBy(report => report.WindowEnd.ToDateTimeOffset());

    private async Task<PipelineRun?> RetrainRunAsync(string driftReportId, CancellationToken cancellationToken)
    {
        var runs = await clients.Training.ListRunsAsync(new ListRunsRequest { ModelName = options.ModelName, PageSize = 50 }, cancellationToken: cancellationToken);
        return runs.Runs.FirstOrDefault(run => run.DriftReportId == driftReportId);
    }

    private async Task<IReadOnlyList<DriftReportPublished>> ReportsAsync(CancellationToken cancellationToken)
    {
        var reports = new List<DriftReportPublished>();
        var request = new ListReportsRequest { ModelName = options.ModelName, PageSize = 100 };
        do
        {
            var page = await clients.Drift.ListReportsAsync(request, cancellationToken: cancellationToken);
            reports.AddRange(page.Reports);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0 && reports.Count < 1_000);
        return [.. reports.OrderBy(report => report.WindowEnd.ToDateTimeOffset())];
    }

    /// <summary>Polls <paramref name="probe"/> until it answers, printing the traffic's counts meanwhile.</summary>
    private async Task<T> WaitAsync<T>(string what, TrafficCounters counters, Func<CancellationToken, Task<T?>> probe, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var lastProgress = Stopwatch.StartNew();
        while (true)
        {
            if (await probe(cancellationToken) is { } answer)
            {
                return answer;
            }
            if (deadline.Elapsed > options.StepTimeout)
            {
                throw new TimeoutException($"gave up waiting for {what} after {options.StepTimeout.TotalMinutes:0} minutes");
            }
            if (lastProgress.Elapsed >= ProgressInterval)
            {
                Line($"  waiting for {what}: {counters.Describe()}");
                lastProgress.Restart();
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private void Step(int number, string text) => console.MarkupLine($"[bold]{Elapsed()} step {number}/7[/] {Markup.Escape(text)}");

    private void Line(string text) => console.MarkupLine($"{Elapsed()} {Markup.Escape(text)}");

    private string Elapsed() => $"[[{_clock.Elapsed:mm\\:ss}]]";
}
