using System.Globalization;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Contracts.Training.V1;
using Spectre.Console;

namespace CreditRisk.Scenario;

/// <summary>Step 7: the scenario's summary, counts per step, the models, drift's verdicts, the traffic and where to look next.</summary>
public static class ScenarioSummary
{
    private const int MaxReportLines = 4;

    public static void Write(ScenarioReport report, ScenarioOptions options, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(console);
        var traffic = report.Traffic!;
        var model = options.ModelName;
        var first = report.FirstChampion;
        var lines = new List<string>();
        void Add(FormattableString line) => lines.Add(line.ToString(CultureInfo.InvariantCulture));

        Add($"step 7/7 summary: the scenario took {report.Elapsed:mm\\:ss}{(report.Incomplete is null ? "" : " and stopped early: " + report.Incomplete)}");
        Add($"  3 traffic       {report.BaselineScored} applications of the first population scored and submitted, experiment revision {report.ExperimentRevision}");
        Add($"  4 shift         {traffic.ShiftedScored} shifted applications scored, {traffic.OutcomesRecorded} simulated outcomes recorded through ingestion");
        var served = report.Reports.Where(drift => drift.Served).ToList();
        Add($"  5 drift         {report.Reports.Count} reports on {model}, {served.Count} of them on served predictions (the others on the shadow arm's):");
        foreach (var drift in served.Take(MaxReportLines))
        {
            Add($"                    {DriftVerdicts.Brief(drift)}");
        }
        if (served.Count > MaxReportLines)
        {
            Add($"                    ... and {served.Count - MaxReportLines} later windows: {DriftVerdicts.Brief(served[^1])}");
        }
        if (report.RetrainRun is { } run)
        {
            var trained = RunOutputs.Of(run, "train");
            Add($"  6 retrain       run {run.RunId} ({run.Trigger}, drift report {run.DriftReportId}): {trained.GetValueOrDefault("training_rows", "?")} rows trained on, {trained.GetValueOrDefault("oot_rows", "?")} latest held out, winner {trained.GetValueOrDefault("winner", "?")}");
            Add($"                  v{report.NewVersion?.Version} {report.PromotionDecision}: {report.PromotionReason}");
            Add($"                  {(report.SwappedAtScored is { } at ? $"scoring swapped to it after {at} requests, under load" : "no swap: the champion stayed")}");
        }
        Add($"  models          out-of-time ROC AUC, each on its own run's held-out latest applications:");
        Add($"                    v{first.Version}: {Metric(first, "oot_roc_auc")} (champion at the start)");
        if (report.NewVersion is { } next)
        {
            var evaluated = RunOutputs.Of(report.RetrainRun!, "evaluate");
            Add($"                    v{next.Version}: {Metric(next, "oot_roc_auc")}; on the same slice v{first.Version} scores {Parsed(evaluated.GetValueOrDefault("champion_oot_roc_auc"))}");
        }
        Add($"  requests        {traffic.Scored} scored, {traffic.ScoreFailed} failed (goal 0); {traffic.SubmitFailed} submissions and {traffic.OutcomeFailed} outcomes failed");
        foreach (var (call, count) in traffic.Failures.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            Add($"                    {call}: {count}");
        }
        Add($"                  by arm: {TrafficCounters.Counts(traffic.ByArm)}");
        Add($"                  by scoring replica (x-served-by): {TrafficCounters.Counts(traffic.ByReplica)}");
        if (report.Replicas is { } replicas)
        {
            Add($"  replicas        scoring at {options.Scoring.Authority}: {replicas.ScoringGroups.Count} live replicas, each in a promotion group of its own, read up to offset (of {replicas.PromotionsEnd} promotions):");
            foreach (var (group, offset) in replicas.ScoringGroups)
            {
                Add($"                    {group} {offset}");
            }
            Add($"                  features at {options.FeaturesAddress.Authority}: {replicas.FeaturesMembers.Count} members of consumer group {ReplicaView.FeaturesGroup}, the partitions split between them:");
            foreach (var (member, partitions) in replicas.FeaturesMembers)
            {
                Add($"                    {member}: {Partitions(partitions)}");
            }
        }
        else if (report.ReplicasUnavailable is { } why)
        {
            Add($"  replicas        the broker could not be asked: {why}");
        }
        if (report.Latency is { Count: > 0 } latency)
        {
            Add($"  latency         Score as the load generator saw it, through the replicas' proxy, at {options.Rate:0} applications/s:");
            Add($"                    p50 {latency.P50:0.00} ms, p99 {latency.P99:0.00} ms, max {latency.Max:0.0} ms ({latency.Count} calls while no model trained)");
        }
        if (report.LatencyWhileTraining is { Count: > 0 } training)
        {
            Add($"                    p50 {training.P50:0.00} ms, p99 {training.P99:0.00} ms, max {training.Max:0.0} ms ({training.Count} calls while the retrain run trained on the same cores)");
        }
        Add($"  addresses       (x-api-key header on the services' pages)");
        if (report.RetrainRun is { } retrain)
        {
            Add($"                    evaluation report  {Link(options.TrainingHttp, $"api/training/runs/{retrain.RunId}/blobs/evaluate/report.html")}");
        }
        Add($"                    drift reports      {Link(options.DriftHttp, $"drift/models/{model}")}");
        if (report.DriftedReport is { } drifted)
        {
            Add($"                    the drifted window {Link(options.DriftHttp, drifted.HtmlPath.TrimStart('/'))}");
        }
        Add($"                    registry           {Link(options.RegistryHttp, $"api/v1/models/{model}/aliases/champion")} (also .../serving-experiment, .../alias-history)");
        if (report.SampleTrace is { } sample)
        {
            Add($"                    trace viewer       {Link(options.Dashboard, $"traces/detail/{sample.TraceId}")}");
            Add($"                                       application {sample.ApplicationId}: Submit, features, Score, its prediction log and drift, trace {sample.TraceId}");
            if (report.SampleTraceCheck is { } check)
            {
                Add($"                                       as the viewer's API holds it: {check}");
            }
        }
        else
        {
            Add($"                    trace viewer       {options.Dashboard}");
        }
        foreach (var line in lines)
        {
            console.WriteLine(line);
        }
    }

    /// <summary>"applications.v1 0,1,2; transactions.v1 3,4,5": partitions grouped by topic, the topic's prefix and version kept short.</summary>
    private static string Partitions(IReadOnlyList<Confluent.Kafka.TopicPartition> partitions) => partitions.Count == 0
        ? "none"
        : string.Join("; ", partitions.GroupBy(partition => partition.Topic).Select(topic =>
            topic.Key.Replace("creditrisk.", "", StringComparison.Ordinal) + " " + string.Join(",", topic.Select(partition => partition.Partition.Value))));

    private static string Metric(ModelVersion version, string key) =>
        version.Metrics.TryGetValue(key, out var value) ? value.ToString("0.0000", CultureInfo.InvariantCulture) : "?";

    private static string Parsed(string? value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number.ToString("0.0000", CultureInfo.InvariantCulture) : "?";

    private static string Link(Uri root, string path) => new Uri(root, path).ToString();
}
