using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Scoring.V1;
using CreditRisk.FeatureStore;
using CreditRisk.Modeling.Explanations;
using CreditRisk.Modeling.Models;
using CreditRisk.Scoring.Models;
using CreditRisk.Scoring.Features;
using CreditRisk.Scoring.Tests.Support;
using CreditRisk.Testing.Kafka;
using static CreditRisk.Scoring.Tests.Support.ScoringEnvironment;

namespace CreditRisk.Scoring.Tests;

/// <summary>Score against the real registry, Redis and offline store: the model's answer, the vector it saw, statuses and defaults.</summary>
public sealed class ScoringTests(ChampionFixture fixture) : IClassFixture<ChampionFixture>
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private ScoringEnvironment Environment => fixture.Environment;

    [Fact]
    public async Task Score_equals_the_model_run_offline_on_the_same_inputs()
    {
        var customer = $"c-{Guid.NewGuid():N}";
        await Environment.WriteAsync(
            Row(FeatureRegistry.CustomerRepaymentsV1, customer, Now.AddDays(-2), ("late_payments_90d", FeatureValues.Of(2L)), ("late_payments_30d", FeatureValues.Of(1L)), ("on_time_ratio_90d", FeatureValues.Of(0.5))),
            Row(FeatureRegistry.CustomerTransactionsV1, customer, Now.AddDays(-1), ("txn_count_30d", FeatureValues.Of(12L)), ("txn_sum_30d", FeatureValues.Of(-340.5))),
            Row(FeatureRegistry.CustomerApplicationsV1, customer, Now.AddHours(-1), ("applications_30d", FeatureValues.Of(2L))));
        var request = Request(customer);

        var response = await fixture.Client.ScoreAsync(request, cancellationToken: TestContext.Current.CancellationToken);

        // Offline: the same application computed and the same stored values, converted as training converts them.
        var computed = ApplicationFeatures.Compute(request.Application);
        var stored = new Dictionary<string, object?>
        {
            ["customer_repayments:late_payments_90d"] = 2.0, ["customer_repayments:late_payments_30d"] = 1.0, ["customer_repayments:on_time_ratio_90d"] = 0.5,
            ["customer_transactions:txn_count_30d"] = 12.0, ["customer_transactions:txn_sum_30d"] = -340.5, ["customer_applications:applications_30d"] = 2.0,
        };
        var inputs = fixture.Offline.Signature.Inputs.ToDictionary(input => input.Name, input => input.Name.StartsWith("application:", StringComparison.Ordinal)
            ? ModelValues.Of(computed[input.Name["application:".Length..]], input.Kind)
            : stored.GetValueOrDefault(input.Name));
        var expected = fixture.Offline.Score(inputs);

        Assert.Equal(expected, response.DefaultProbability, 12);
        Assert.Equal(Environment.ModelName, response.ModelName);
        Assert.Equal(1, response.ModelVersion);
        Assert.Equal("champion", response.Arm);
        Assert.Equal(request.RequestId, response.RequestId);
        Assert.True(Guid.TryParse(response.PredictionId, out var predictionId) && predictionId.Version == 7, response.PredictionId);
        Assert.Equal(fixture.Offline.Signature.Inputs.Select(input => input.Name), response.Features.Select(feature => feature.Feature.Name));
        Assert.False(string.IsNullOrEmpty(response.RiskGrade));
        Assert.NotEqual(Decision.Unspecified, response.Decision);
        Assert.Equal(3, response.ReasonCodes.Count);
        Assert.Equal(response.ReasonCodes.OrderByDescending(reason => Math.Abs(reason.Contribution)).Select(reason => reason.Feature), response.ReasonCodes.Select(reason => reason.Feature));
    }

    [Fact]
    public async Task Reason_codes_are_the_offline_models_log_odds_contributions_with_readable_names()
    {
        var customer = $"c-{Guid.NewGuid():N}";
        await Environment.WriteAsync(
            Row(FeatureRegistry.CustomerRepaymentsV1, customer, Now.AddDays(-2), ("late_payments_90d", FeatureValues.Of(6L)), ("late_payments_30d", FeatureValues.Of(3L)), ("on_time_ratio_90d", FeatureValues.Of(0.1))));
        var request = Request(customer);

        var response = await fixture.Client.ScoreAsync(request, cancellationToken: TestContext.Current.CancellationToken);

        var computed = ApplicationFeatures.Compute(request.Application);
        var stored = new Dictionary<string, object?>
        {
            ["customer_repayments:late_payments_90d"] = 6.0, ["customer_repayments:late_payments_30d"] = 3.0, ["customer_repayments:on_time_ratio_90d"] = 0.1,
        };
        var inputs = fixture.Offline.Signature.Inputs.ToDictionary(input => input.Name, input => input.Name.StartsWith("application:", StringComparison.Ordinal)
            ? ModelValues.Of(computed[input.Name["application:".Length..]], input.Kind)
            : stored.GetValueOrDefault(input.Name));
        var features = ModelFeatures.Of(fixture.Offline.Signature);
        using var explainer = ModelExplainer.Create(fixture.Offline, features.ReadableNames);
        var offline = explainer.Explain(inputs, top: 3);

        // One pass gives both: the probability is the offline model's, and the reasons are its contributions, signs included.
        Assert.Equal(fixture.Offline.Score(inputs), response.DefaultProbability, 12);
        Assert.Equal(offline.Probability, response.DefaultProbability, 12);
        Assert.Equal(3, response.ReasonCodes.Count);
        Assert.Equal(offline.Contributions.Select(c => c.Input), response.ReasonCodes.Select(reason => reason.Feature));
        Assert.Equal(offline.Contributions.Select(c => Math.Sign(c.Contribution)), response.ReasonCodes.Select(reason => Math.Sign(reason.Contribution)));
        Assert.All(offline.Contributions.Zip(response.ReasonCodes), pair => Assert.Equal(pair.First.Contribution, pair.Second.Contribution, 9));
        Assert.All(response.ReasonCodes, reason => Assert.NotEqual(0, reason.Contribution));
        // The readable name is the feature definition's description's first clause, not the input's name.
        var resolved = features.Resolved.ToDictionary(feature => feature.Name);
        Assert.All(response.ReasonCodes, reason => Assert.Equal(ModelFeatures.ReadableName(resolved[reason.Feature]), reason.Description));
        Assert.All(response.ReasonCodes, reason => Assert.DoesNotContain(";", reason.Description));
    }

    [Fact]
    public void A_readable_name_is_the_descriptions_first_clause()
    {
        string Named(string input) => ModelFeatures.ReadableName(FeatureRegistry.Resolve(FeatureReference.Parse(input)));

        Assert.Equal("Monthly income", Named("application:income"));
        Assert.Equal("Housing", Named("application:home"));
        Assert.Equal("Marital", Named("application:marital"));   // its description only lists the values
    }

    [Fact]
    public async Task The_vector_scoring_builds_equals_historical_retrieval_for_the_application_at_its_time()
    {
        var customer = $"c-{Guid.NewGuid():N}";
        var request = Request(customer, new LoanApplication
        {
            Amount = 900, TermMonths = 24, Price = 1000, Expenses = 75, AgeYears = 52, SeniorityYears = 20,   // income, assets, debt unknown
            Home = HomeOwnership.Rent, Marital = MaritalStatus.Unspecified, Job = JobType.Freelance, HasPriorDefaultRecords = true,
        });
        await Environment.WriteAsync(
            Row(FeatureRegistry.CustomerRepaymentsV1, customer, Now.AddDays(-3), ("late_payments_90d", FeatureValues.Of(0L)), ("on_time_ratio_90d", FeatureValues.Of(1.0)), ("days_since_last_delinquency", FeatureValues.Of(400L))),
            Row(FeatureRegistry.CustomerTransactionsV1, customer, Now.AddDays(-45), ("txn_count_30d", FeatureValues.Of(3L))),   // beyond the 30-day TTL
            // The features service writes the application's request-time vector too; historical retrieval reads that.
            new FeatureRow(new EntityKey { Entity = "application", Id = request.ApplicationId }, "application", 1, ApplicationFeatures.Compute(request.Application),
                Now.AddSeconds(-1), Now.AddSeconds(-1), Guid.NewGuid().ToString()).Normalize());

        var response = await fixture.Client.ScoreAsync(request, cancellationToken: TestContext.Current.CancellationToken);

        var resolved = FeatureRegistry.Resolve(FeatureSelection.Service(TestModels.Service.Name, TestModels.Service.Version));
        var historical = await Environment.OfflineStore.GetHistoricalFeaturesAsync(
            One(new HistoricalEntityRow(new EntityRow(new EntityKey { Entity = "customer", Id = customer }, new EntityKey { Entity = "application", Id = request.ApplicationId }),
                response.ScoredTime.ToDateTimeOffset(), "r")),
            resolved, cancellationToken: TestContext.Current.CancellationToken).SingleAsync(TestContext.Current.CancellationToken);

        var served = response.Features.ToDictionary(feature => feature.Feature.Name, feature => feature.Feature.Value.Format());
        var retrieved = historical.Features.ToDictionary(feature => feature.Name, feature => feature.Value.Format());
        Assert.Equal(retrieved.Where(pair => served.ContainsKey(pair.Key)).OrderBy(pair => pair.Key), served.OrderBy(pair => pair.Key));
        Assert.Equal(fixture.Offline.Signature.Inputs.Count, served.Count);
        Assert.Equal(FeatureStatus.OutsideTtl, response.Features.Single(feature => feature.Feature.Name == "customer_transactions:txn_count_30d").Status);
    }

    [Fact]
    public async Task Features_without_a_usable_value_take_the_declared_defaults_and_say_so()
    {
        var customer = $"c-{Guid.NewGuid():N}";
        await Environment.WriteAsync(Row(FeatureRegistry.CustomerRepaymentsV1, customer, Now.AddDays(-120), ("late_payments_90d", FeatureValues.Of(5L))));

        var response = await fixture.Client.ScoreAsync(Request(customer), cancellationToken: TestContext.Current.CancellationToken);

        var statuses = response.Features.ToDictionary(feature => feature.Feature.Name, feature => feature.Status);
        Assert.Equal(FeatureStatus.OutsideTtl, statuses["customer_repayments:late_payments_90d"]);
        Assert.Equal(FeatureStatus.NotFound, statuses["customer_transactions:txn_sum_30d"]);
        Assert.Equal(FeatureStatus.Present, statuses["application:amount"]);
        Assert.True(response.DefaultsUsed);
        Assert.False(response.Degraded);
        // A stale value is not what the model saw: it saw missing and imputed the training mean.
        Assert.True(response.Features.Single(feature => feature.Feature.Name == "customer_repayments:late_payments_90d").Feature.Value.IsNull());
        var declared = fixture.Offline.Signature.Inputs.Single(input => input.Name == "customer_repayments:late_payments_90d").Default!;
        var applied = response.AppliedDefaults.Single(applied => applied.Feature == "customer_repayments:late_payments_90d");
        Assert.Equal(InputDefault.MeanTreatment, applied.Treatment);
        Assert.Equal(declared.Value!.Value, applied.Value, 12);
        Assert.Equal(statuses.Count(pair => pair.Value != FeatureStatus.Present), response.AppliedDefaults.Count);

        var missing = fixture.Offline.Signature.Inputs.ToDictionary(input => input.Name, input => input.Name.StartsWith("application:", StringComparison.Ordinal)
            ? ModelValues.Of(ApplicationFeatures.Compute(SampleApplication())[input.Name["application:".Length..]], input.Kind) : null);
        Assert.Equal(fixture.Offline.Score(missing), response.DefaultProbability, 12);
    }

    [Fact]
    public async Task Every_prediction_is_logged_exactly_once_with_its_statuses_and_trace()
    {
        var requests = Enumerable.Range(0, 25).Select(_ => Request($"c-{Guid.NewGuid():N}")).ToList();
        var responses = await Task.WhenAll(requests.Select(request => fixture.Client.ScoreAsync(request, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync));
        var ids = requests.Select(request => request.RequestId).ToHashSet();

        List<Contracts.Events.V1.PredictionLogged> logged = [];
        await Eventually.ThatAsync(() =>
        {
            logged = [.. Environment.Predictions().Where(prediction => ids.Contains(prediction.RequestId))];
            return logged.Count >= requests.Count;
        }, TimeSpan.FromSeconds(30), "the predictions on the topic");
        // A little later, still no more than one each.
        logged = [.. Environment.Predictions().Where(prediction => ids.Contains(prediction.RequestId))];

        Assert.Equal(requests.Count, logged.Count);
        Assert.Equal(ids.Order(), logged.Select(prediction => prediction.RequestId).Order());
        foreach (var prediction in logged)
        {
            var response = responses.Single(candidate => candidate.RequestId == prediction.RequestId);
            Assert.Equal(response.PredictionId, prediction.PredictionId);
            Assert.Equal(response.PredictionId, prediction.Envelope.EventId);
            Assert.Equal(response.DefaultProbability, prediction.DefaultProbability);
            Assert.True(prediction.Served);
            Assert.Equal("champion", prediction.Variant);
            Assert.Equal(prediction.Features.Count, prediction.FeatureStatuses.Count);
            Assert.Equal(response.Features.Select(feature => feature.Status), prediction.FeatureStatuses);
            Assert.Matches("^[0-9a-f]{32}$", prediction.TraceId);
            Assert.Equal(response.ReasonCodes.Select(reason => reason.Feature), prediction.ReasonCodes.Select(reason => reason.Feature));
        }
    }

    [Fact]
    public async Task A_retried_request_id_returns_the_same_prediction_and_is_logged_once()
    {
        var request = Request($"c-{Guid.NewGuid():N}");

        var first = await fixture.Client.ScoreAsync(request, cancellationToken: TestContext.Current.CancellationToken);
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => fixture.Client.ScoreAsync(request, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync));

        Assert.All(concurrent, retry => Assert.Equal(first, retry));
        await Eventually.ThatAsync(() => Environment.Predictions().Any(prediction => prediction.RequestId == request.RequestId), TimeSpan.FromSeconds(30), "the first prediction logged");
        // Logged later predictions prove the log moved on past any retry.
        var later = Request($"c-{Guid.NewGuid():N}");
        await fixture.Client.ScoreAsync(later, cancellationToken: TestContext.Current.CancellationToken);
        await Eventually.ThatAsync(() => Environment.Predictions().Any(prediction => prediction.RequestId == later.RequestId), TimeSpan.FromSeconds(30), "a later prediction logged");
        Assert.Single(Environment.Predictions(), prediction => prediction.RequestId == request.RequestId);
    }

    [Fact]
    public async Task Concurrent_first_attempts_of_one_request_id_get_one_prediction_logged_once()
    {
        var request = Request($"c-{Guid.NewGuid():N}");

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => fixture.Client.ScoreAsync(request, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync));

        Assert.Single(answers.Select(answer => answer.PredictionId).Distinct());
        var later = Request($"c-{Guid.NewGuid():N}");
        await fixture.Client.ScoreAsync(later, cancellationToken: TestContext.Current.CancellationToken);
        await Eventually.ThatAsync(() => Environment.Predictions().Any(prediction => prediction.RequestId == later.RequestId), TimeSpan.FromSeconds(30), "a later prediction logged");
        var logged = Assert.Single(Environment.Predictions(), prediction => prediction.RequestId == request.RequestId);
        Assert.Equal(answers[0].PredictionId, logged.PredictionId);
    }

    [Fact]
    public async Task A_request_is_one_span_with_the_feature_read_and_the_model_call_as_children()
    {
        var request = Request($"c-{Guid.NewGuid():N}");
        var spans = new System.Collections.Concurrent.ConcurrentBag<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == Telemetry.ScoringTelemetry.Name,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);

        await fixture.Client.ScoreAsync(request, cancellationToken: TestContext.Current.CancellationToken);

        var score = Assert.Single(spans, span => span.OperationName == "score" && (string?)span.GetTagItem("creditrisk.request_id") == request.RequestId);
        var children = spans.Where(span => span.ParentSpanId == score.SpanId).Select(span => span.OperationName).ToList();
        Assert.Contains("feature read", children);
        Assert.Contains("model", children);
        await Eventually.ThatAsync(() => Environment.Predictions().Any(prediction => prediction.RequestId == request.RequestId
            && prediction.TraceId == score.TraceId.ToHexString()), TimeSpan.FromSeconds(30), "the prediction logged with the request's trace id");
        // The logged record continues the request's trace, so drift monitoring's span for it joins the same trace.
        var record = CreditRisk.Testing.Kafka.TopicReader.ReadAll(Environment.Broker.BootstrapServers, CreditRisk.Contracts.Topics.TopicCatalogue.Predictions.Name)
            .Single(logged => CreditRisk.Testing.Kafka.TopicReader.Parse<CreditRisk.Contracts.Events.V1.PredictionLogged>(logged).RequestId == request.RequestId);
        Assert.StartsWith($"00-{score.TraceId.ToHexString()}-", CreditRisk.Testing.Kafka.TopicReader.Header(record, CreditRisk.Messaging.MessageHeaders.TraceParent), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_are_counted_by_outcome_and_arm()
    {
        using var requests = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long>(
            fixture.Scoring.Get<System.Diagnostics.Metrics.IMeterFactory>(), Telemetry.ScoringTelemetry.Name, "creditrisk.scoring.requests");

        await fixture.Client.ScoreAsync(Request($"c-{Guid.NewGuid():N}"), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Contains(requests.GetMeasurementSnapshot(), measurement => Equals(measurement.Tags["outcome"], "scored")
            && Equals(measurement.Tags["arm"], "champion") && Equals(measurement.Tags["model"], Environment.ModelName));
    }

    private static async IAsyncEnumerable<T> One<T>(T item)
    {
        await Task.CompletedTask;
        yield return item;
    }
}
