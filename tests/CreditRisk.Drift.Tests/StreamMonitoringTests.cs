using System.Net;
using CreditRisk.Contracts.Drift.V1;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Topics;
using CreditRisk.Drift.Tests.Support;
using CreditRisk.Testing.Hosting;
using CreditRisk.Testing.Kafka;
using Google.Protobuf.WellKnownTypes;

namespace CreditRisk.Drift.Tests;

/// <summary>
/// The drift service on the prediction stream, against the real broker, registry and PostgreSQL: windows of predictions
/// tested against the registered reference profile, reports over gRPC, REST and HTML, and retraining requests.
/// </summary>
public sealed class StreamMonitoringTests(DriftEnvironment environment) : IClassFixture<DriftEnvironment>
{
    private static readonly CreditApplications Data = CreditApplications.Data;

    [Fact]
    public async Task A_shifted_stream_is_reported_as_drifted_and_requests_retraining_once_an_unshifted_one_does_not()
    {
        var model = DriftEnvironment.NewModelName();
        var version = await environment.RegisterAsync(model);
        await using var monitor = await environment.StartMonitorAsync(model, new Dictionary<string, string?>
        {
            ["Drift:WindowSize"] = "500",
            ["Drift:Alerts:Cooldown"] = "01:00:00",
        });

        await monitor.PublishAsync(Data.Predictions(model, version, 0, 500, shift: false, tag: model).Select(p => p.Prediction));
        var unshifted = (await monitor.WaitForReportsAsync(1))[0];
        Assert.False(unshifted.DriftDetected, $"share {unshifted.DriftShare}: {string.Join(", ", unshifted.Features.Where(f => f.Drifted).Select(f => f.Feature))}");
        Assert.False(unshifted.PredictionDrift);
        Assert.Empty(unshifted.Alerts);
        Assert.Equal(500, unshifted.SampleSize);
        Assert.Equal(Data.Features.Count, unshifted.Features.Count);
        Assert.All(unshifted.Features, feature => Assert.True(feature.Method is "wasserstein" or "jensenshannon", feature.Method));

        await monitor.PublishAsync(Data.Predictions(model, version, 500, 1000, shift: true, tag: model).Select(p => p.Prediction));
        var reports = await monitor.WaitForReportsAsync(3);
        var (first, second) = (reports[1], reports[2]);
        foreach (var shifted in new[] { first, second })
        {
            Assert.True(shifted.DriftDetected || shifted.PredictionDrift, $"report {shifted.ReportId}");
            foreach (var name in CreditApplications.ShiftedFeatures)
            {
                Assert.True(shifted.Features.Single(f => f.Feature == name).Drifted, $"{name} in {shifted.ReportId}");
            }
            var job = shifted.DataQuality.Single(q => q.Feature == "Job");
            Assert.Contains(CreditApplications.NewJob, job.NewCategories);
            Assert.InRange(job.NewCategoryShare, 0.2, 0.4);
        }
        Assert.True(first.PredictionDrift, $"prediction {first.Prediction.Method} {first.Prediction.Value}");
        Assert.Contains(first.Alerts, alert => alert.Contains("retraining requested", StringComparison.Ordinal));
        Assert.Contains(second.Alerts, alert => alert.Contains("cool-down", StringComparison.Ordinal));

        // One request, for the first drifted report; the second fell in the cool-down.
        List<RetrainRequested> requests = [];
        await Eventually.ThatAsync(() => (requests = Published<RetrainRequested>(model)).Count >= 1, DriftMonitor.Deadline, "the retrain request");
        await Eventually.ThatAsync(() => Published<DriftReportPublished>(model).Select(r => r.ReportId).Distinct().Count() == 3, DriftMonitor.Deadline, "three reports on the topic");
        requests = Published<RetrainRequested>(model);
        var request = Assert.Single(requests);
        Assert.Equal(RetrainTrigger.Drift, request.Trigger);
        Assert.Equal(first.ReportId, request.DriftReportId);
        Assert.Equal($"drift:{first.ReportId}", request.RequestId);
    }

    [Fact]
    public async Task Reports_are_served_over_grpc_rest_and_html_to_callers_with_a_key()
    {
        var model = DriftEnvironment.NewModelName();
        var version = await environment.RegisterAsync(model);
        await using var monitor = await environment.StartMonitorAsync(model);
        await monitor.PublishAsync(Data.Predictions(model, version, 0, 400, shift: true, tag: model).Select(p => p.Prediction));
        var reports = await monitor.WaitForReportsAsync(2);
        var cancellation = TestContext.Current.CancellationToken;

        var latest = await monitor.Client().GetLatestReportAsync(new GetLatestReportRequest { ModelName = model }, cancellationToken: cancellation);
        Assert.Equal(reports[^1].ReportId, latest.ReportId);
        var byId = await monitor.Client().GetReportAsync(new GetReportRequest { ReportId = reports[0].ReportId }, cancellationToken: cancellation);
        Assert.Equal(reports[0], byId);
        var page = await monitor.Client().ListReportsAsync(new ListReportsRequest { ModelName = model, PageSize = 1 }, cancellationToken: cancellation);
        Assert.Equal(reports[^1].ReportId, Assert.Single(page.Reports).ReportId);
        var next = await monitor.Client().ListReportsAsync(new ListReportsRequest { ModelName = model, PageSize = 1, PageToken = page.NextPageToken }, cancellationToken: cancellation);
        Assert.Equal(reports[0].ReportId, Assert.Single(next.Reports).ReportId);

        var unauthenticated = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => monitor.Host.ClientFor<DriftService.DriftServiceClient>(null)
            .GetLatestReportAsync(new GetLatestReportRequest { ModelName = model }, cancellationToken: cancellation).ResponseAsync);
        Assert.Equal(Grpc.Core.StatusCode.Unauthenticated, unauthenticated.StatusCode);
        var badPage = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => monitor.Client()
            .ListReportsAsync(new ListReportsRequest { PageSize = 1000 }, cancellationToken: cancellation).ResponseAsync);
        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, badPage.StatusCode);
        Assert.Contains("page_size", Assert.Single(CreditRisk.Contracts.Rpc.FieldViolations.Of(badPage)).Field, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => monitor.Client()
            .GetReportAsync(new GetReportRequest { ReportId = "no-such-report" }, cancellationToken: cancellation).ResponseAsync);
        Assert.Equal(Grpc.Core.StatusCode.NotFound, missing.StatusCode);

        using var http = monitor.Host.CreateHttpClient();
        http.DefaultRequestHeaders.Add("x-api-key", TestApiKeys.Reader);
        var json = await http.GetStringAsync($"/api/drift/reports/latest?model_name={model}", cancellation);
        Assert.Contains($"\"reportId\": \"{latest.ReportId}\"", json, StringComparison.Ordinal);
        var html = await http.GetStringAsync(latest.HtmlPath, cancellation);
        Assert.Contains("The predicted probability drifted.", html, StringComparison.Ordinal);
        Assert.Contains("<td>Income</td><td>numeric</td><td>wasserstein</td>", html, StringComparison.Ordinal);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains("Data quality", html, StringComparison.Ordinal);
        Assert.Contains(CreditApplications.NewJob, html, StringComparison.Ordinal);
        var index = await http.GetStringAsync($"/drift/models/{model}", cancellation);
        Assert.All(reports, report => Assert.Contains(report.ReportId, index, StringComparison.Ordinal));
        Assert.Contains(model, await http.GetStringAsync("/drift/", cancellation), StringComparison.Ordinal);

        // The latest window's values per feature and its drifted share, and the window sizes, for Prometheus.
        string metrics = "";
        await Eventually.ThatAsync(async () => (metrics = await http.GetStringAsync("/metrics", cancellation)).Contains("creditrisk_drift_window_size", StringComparison.Ordinal),
            DriftMonitor.Deadline, "the drift metrics");
        Assert.Matches($"creditrisk_drift_feature_value\\{{[^}}]*creditrisk_feature=\"Income\"[^}}]*creditrisk_model_name=\"{model}\"", metrics);
        Assert.Contains("creditrisk_drift_drifted_share{", metrics, StringComparison.Ordinal);
        Assert.Contains("creditrisk_drift_processing_lag", metrics, StringComparison.Ordinal);

        using var anonymous = monitor.Host.CreateHttpClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(latest.HtmlPath, cancellation)).StatusCode);
    }

    [Fact]
    public async Task Late_outcomes_update_a_windows_performance_and_a_drop_requests_retraining()
    {
        var model = DriftEnvironment.NewModelName();
        var version = await environment.RegisterAsync(model);
        await using var monitor = await environment.StartMonitorAsync(model, new Dictionary<string, string?>
        {
            ["Drift:WindowSize"] = "300",
            ["Drift:Alerts:MinLabelled"] = "100",
            ["Drift:Alerts:PerformanceDrop"] = "0.05",
            ["Drift:Alerts:OnDatasetDrift"] = "false",
            ["Drift:Alerts:OnPredictionDrift"] = "false",
        });
        var predictions = Data.Predictions(model, version, 0, 300, shift: false, tag: model);
        await monitor.PublishAsync(predictions.Select(p => p.Prediction));
        var report = (await monitor.WaitForReportsAsync(1))[0];
        Assert.Null(report.Performance);
        Assert.Empty(report.Alerts);

        // Half the outcomes arrive, as recorded: the model ranks them about as well as its reference.
        await monitor.PublishAsync(predictions.Take(150).Select(p => Outcome(p.Prediction, p.Defaulted)));
        WindowPerformance? performance = null;
        await Eventually.ThatAsync(async () => (performance = (await monitor.ReportsAsync())[0].Performance)?.Labelled == 150, DriftMonitor.Deadline, "150 labelled");
        Assert.Equal(0.5, performance!.LabelledShare, 6);
        Assert.True(double.IsFinite(performance.RocAuc) && double.IsFinite(performance.ReferenceRocAuc));
        Assert.NotEmpty(performance.Calibration);

        // The rest default exactly where the model saw the least risk: the window's ranking collapses.
        var median = predictions.Skip(150).Select(p => p.Prediction.DefaultProbability).Order().ElementAt(75);
        await monitor.PublishAsync(predictions.Skip(150).Select(p => Outcome(p.Prediction, p.Prediction.DefaultProbability < median)));
        await Eventually.ThatAsync(async () => (performance = (await monitor.ReportsAsync())[0].Performance)?.Labelled == 300, DriftMonitor.Deadline, "300 labelled");
        Assert.True(performance!.PerformanceDrop, $"ROC AUC {performance.RocAuc} against {performance.ReferenceRocAuc}");
        await Eventually.ThatAsync(() => Published<RetrainRequested>(model).Count == 1, DriftMonitor.Deadline, "the retrain request");
        Assert.Contains("performance drop", Assert.Single(Published<RetrainRequested>(model)).Reason, StringComparison.Ordinal);

        // An outcome for an application no prediction had is kept and counted, not an error.
        await monitor.PublishAsync([Outcome(predictions[0].Prediction, true, applicationId: $"unknown-{model}")]);
        await Eventually.ThatAsync(async () => await monitor.ScalarAsync("SELECT count(*) FROM drift.outcomes WHERE application_id = $1", $"unknown-{model}") == 1,
            DriftMonitor.Deadline, "the unknown application's outcome");
    }

    private List<TEvent> Published<TEvent>(string model) where TEvent : Google.Protobuf.IMessage<TEvent>, IIntegrationEvent, new() =>
        [.. TopicReader.ReadEvents<TEvent>(environment.Broker.BootstrapServers, TopicCatalogue.For<TEvent>().Name)
            .Select(record => record.Event).Where(@event => @event.Envelope.EntityKey == model)];

    internal static LoanOutcomeRecorded Outcome(PredictionLogged prediction, bool defaulted, string? applicationId = null) => new()
    {
        Envelope = new EventEnvelope
        {
            EventId = Guid.NewGuid().ToString(),
            EntityKey = prediction.CustomerId,
            EventTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            RecordedTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            Source = "test",
            SchemaVersion = 1,
        },
        LoanId = $"loan-{prediction.ApplicationId}",
        ApplicationId = applicationId ?? prediction.ApplicationId,
        CustomerId = prediction.CustomerId,
        Outcome = defaulted ? LoanOutcome.Defaulted : LoanOutcome.Repaid,
        ApplicationTime = prediction.Envelope.EventTime,
    };
}
