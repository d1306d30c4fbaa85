using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Contracts.Training.V1;
using CreditRisk.Messaging.Publishing;
using CreditRisk.Testing.Hosting;
using CreditRisk.Testing.Kafka;
using CreditRisk.Training.Tests.Support;
using Google.Protobuf.WellKnownTypes;
using Npgsql;

namespace CreditRisk.Training.Tests;

/// <summary>
/// The whole pipeline as the service runs it: events through the broker into the features service and the labels,
/// a run started through the API executed by the real engine and steps, ending with a registered champion in the real
/// registry and its report served; a second, identical run reuses the cacheable steps and registers nothing new.
/// </summary>
public sealed class PipelineEndToEndTests(EndToEndFixture system) : IClassFixture<EndToEndFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(180);
    private static readonly DateTimeOffset Start = new(2025, 1, 6, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Cutoff = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly JobType[] Jobs = [JobType.Fixed, JobType.Freelance, JobType.PartTime, JobType.Others];
    private static readonly HomeOwnership[] Homes = [HomeOwnership.Rent, HomeOwnership.Owner, HomeOwnership.Parents];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_run_started_through_the_api_registers_a_champion_and_an_identical_run_reuses_its_cacheable_steps()
    {
        var applications = await PublishHistoryAsync(rows: 400, seed: 7);
        await WaitUntilStoredAsync(applications);
        var request = new StartRunRequest
        {
            ModelName = "credit_default",
            Cutoff = Timestamp.FromDateTimeOffset(Cutoff),
            Parameters = { ["folds"] = "3", ["trials"] = "1", ["min_rows_per_class"] = "10" },
        };

        var first = await RunToEndAsync(request, "e2e-first");

        Assert.Equal(PipelineRunStatus.Succeeded, first.Status);
        Assert.All(first.Steps, step => Assert.Equal(PipelineStepStatus.Succeeded, step.Status));
        Assert.Equal(["build_training_set", "validate", "train", "evaluate", "register", "promote"], first.Steps.Select(step => step.Name));
        var built = Step(first, "build_training_set");
        Assert.Equal("400", built.OutputValues["row_count"]);
        Assert.Equal("credit_default_application", built.OutputValues["feature_service"]);
        Assert.Equal("champion", Step(first, "promote").OutputValues["decision"]);
        Assert.True(double.Parse(Step(first, "evaluate").OutputValues["oot_roc_auc"], System.Globalization.CultureInfo.InvariantCulture) > 0.6);

        var champion = await system.RegistryClient.GetModelVersionByAliasAsync(
            new GetModelVersionByAliasRequest { ModelName = "credit_default", Alias = "champion" }, cancellationToken: Ct);
        Assert.Equal(1, champion.Version);
        Assert.Equal(Step(first, "register").OutputValues["artifact_sha256"], champion.ArtifactSha256);
        Assert.Equal("credit_default_application", champion.FeatureService);
        Assert.NotEmpty(champion.ReferenceProfileSha256);
        Assert.Contains("application:income", champion.InputSchema.Select(field => field.Name));

        using var http = system.Training.CreateHttpClient(TestApiKeys.Reader);
        using var report = await http.GetAsync($"/api/training/runs/{first.RunId}/blobs/evaluate/report.html", Ct);
        Assert.Equal("text/html", report.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<svg", await report.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var second = await RunToEndAsync(request, "e2e-second");

        Assert.Equal(PipelineRunStatus.Succeeded, second.Status);
        Assert.All(second.Steps.Take(3), step =>
        {
            Assert.Equal(PipelineStepStatus.Cached, step.Status);
            Assert.Equal(first.RunId, step.CachedFromRunId);
        });
        // Evaluation reads the registry's champion, which the first run changed: it runs again and now compares with version 1.
        Assert.Equal(PipelineStepStatus.Succeeded, Step(second, "evaluate").Status);
        Assert.Equal("1", Step(second, "evaluate").OutputValues["champion_version"]);
        Assert.Equal("true", Step(second, "register").OutputValues["reused"]);
        var model = await system.RegistryClient.GetRegisteredModelAsync(new GetRegisteredModelRequest { Name = "credit_default" }, cancellationToken: Ct);
        Assert.Equal(1, model.LatestVersion);
    }

    [Fact]
    public async Task A_run_of_an_unknown_feature_service_fails_naming_it_and_registers_nothing()
    {
        var run = await RunToEndAsync(new StartRunRequest
        {
            ModelName = "credit_default",
            FeatureService = "no_such_service",
            FeatureServiceVersion = 1,
            Cutoff = Timestamp.FromDateTimeOffset(Cutoff),
        }, "e2e-unknown-service");

        Assert.Equal(PipelineRunStatus.Failed, run.Status);
        Assert.Contains("no_such_service", run.FailureReason, StringComparison.Ordinal);
        Assert.Equal(PipelineStepStatus.Failed, Step(run, "build_training_set").Status);
        Assert.All(run.Steps.Skip(1), step => Assert.Equal(PipelineStepStatus.Pending, step.Status));
    }

    private static PipelineStep Step(PipelineRun run, string name) => run.Steps.Single(step => step.Name == name);

    private async Task<PipelineRun> RunToEndAsync(StartRunRequest request, string requestId)
    {
        var start = request.Clone();
        start.RequestId = requestId;
        var started = await system.TrainingClient.StartRunAsync(start, cancellationToken: Ct);
        PipelineRun? run = null;
        await Eventually.ThatAsync(async () =>
        {
            run = await system.TrainingClient.GetRunAsync(new CreditRisk.Contracts.Training.V1.GetRunRequest { RunId = started.RunId }, cancellationToken: Ct);
            return run.Status is PipelineRunStatus.Succeeded or PipelineRunStatus.Failed or PipelineRunStatus.Cancelled;
        }, Deadline, $"run {started.RunId} to finish");
        return run!;
    }

    /// <summary>Applications over a year with a label that depends on their fields, and each one's outcome months later.</summary>
    private async Task<IReadOnlyList<LoanApplicationSubmitted>> PublishHistoryAsync(int rows, int seed)
    {
        var random = new Random(seed);
        var publisher = system.Training.Get<IEventPublisher>();
        var applications = new List<LoanApplicationSubmitted>(rows);
        for (var i = 0; i < rows; i++)
        {
            var customer = $"E2E-{seed}-{i:D4}";
            var job = Jobs[random.Next(Jobs.Length)];
            double? income = random.NextDouble() < 0.1 ? null : 800 + random.Next(3_000);
            var application = HistoryEvents.Application(customer, $"{customer}-A", Start.AddHours(20 * i), 500 + random.Next(4_000), job,
                Homes[random.Next(Homes.Length)], income);
            application.Application.SeniorityYears = random.Next(20);
            var risk = -0.8 + 0.0006 * (application.Application.Amount - 2_000) - 0.0009 * ((income ?? 1_500) - 1_500)
                + (job == JobType.PartTime ? 1.0 : 0) - 0.08 * application.Application.SeniorityYears;
            var outcome = random.NextDouble() < 1 / (1 + Math.Exp(-risk)) ? LoanOutcome.Defaulted : LoanOutcome.Repaid;
            await publisher.PublishAsync(application, Ct);
            await publisher.PublishAsync(HistoryEvents.Outcome(application, outcome, Start.AddHours(20 * i).AddDays(40)), Ct);
            applications.Add(application);
        }
        return applications;
    }

    private async Task WaitUntilStoredAsync(IReadOnlyList<LoanApplicationSubmitted> applications)
    {
        var ids = applications.Select(application => application.ApplicationId).ToArray();
        await using var features = system.FeaturesDatabase.CreateDataSource();
        await using var training = system.TrainingDatabase.CreateDataSource();
        await Eventually.ThatAsync(async () =>
            await CountAsync(features, "SELECT count(DISTINCT entity_id) FROM feature_store.feature_rows WHERE feature_view = 'application' AND entity_id = ANY($1)", ids) == ids.Length
            && await CountAsync(training, "SELECT count(DISTINCT application_id) FROM training.loan_outcomes WHERE application_id = ANY($1)", ids) == ids.Length,
            Deadline, "every application in the feature store and every outcome in the labels");
    }

    private static async Task<long> CountAsync(NpgsqlDataSource database, string sql, string[] ids)
    {
        await using var command = database.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = ids });
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }
}
